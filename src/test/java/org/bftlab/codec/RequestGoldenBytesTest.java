package org.bftlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bftlab.core.Event;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.Test;

/**
 * {@link Request} became a final class with memoised hashes (issue 9): its CBOR (wire and
 * journal) and JSON bytes, transaction id and digest are the ones the record produced — the
 * expected values below were written by the record version (commit 51fa0db) — and they decode
 * back to an equal request whose hashes are computed once.
 */
class RequestGoldenBytesTest {
  private static final ObjectMapper CBOR =
      CBORMapper.builder().addModule(new BftlabJacksonModule()).build();
  private static final ObjectMapper JSON =
      Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] sig() {
    byte[] sig = new byte[64];
    Arrays.fill(sig, (byte) 7);
    return sig;
  }

  private static final Request BLIND = new Request("golden", new ClientId("client-0"), 42, "kv",
      "put", List.of("k", "v"), sig());
  private static final Request READS = new Request("golden", new ClientId("client-1"), 43,
      "token", "transfer", List.of("client-1", "client-0", "5"),
      List.of(new ReadEntry("token", "client-1", 3, 1), ReadEntry.absent("token", "client-0")),
      sig());

  @Test
  void cborWireAndJournalBytesAreTheRecordsBytes() throws Exception {
    assertThat(HEX.formatHex(CBOR.writerFor(ProtocolMessage.class).writeValueAsBytes(BLIND)))
        .isEqualTo("bf6474797065675265717565737469636c7573746572496466676f6c64656e66636c69656e7468636c69656e742d306974696d657374616d70182a68636f6e7472616374626b76696f7065726174696f6e63707574646172677382616b6176677265616453657480697369676e6174757265584007070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707ff");
    assertThat(HEX.formatHex(CBOR.writerFor(ProtocolMessage.class).writeValueAsBytes(READS)))
        .isEqualTo("bf6474797065675265717565737469636c7573746572496466676f6c64656e66636c69656e7468636c69656e742d316974696d657374616d70182b68636f6e747261637465746f6b656e696f7065726174696f6e687472616e7366657264617267738368636c69656e742d3168636c69656e742d306135677265616453657482bf68636f6e747261637465746f6b656e636b657968636c69656e742d316b626c6f636b48656967687403677478496e64657801ffbf68636f6e747261637465746f6b656e636b657968636c69656e742d306b626c6f636b48656967687400677478496e64657800ff697369676e6174757265584007070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707ff");
    assertThat(HEX.formatHex(CBOR.writerFor(Event.class)
        .writeValueAsBytes(new AgreementEvent.RequestQueued(READS, 5))))
        .isEqualTo("bf6474797065781c41677265656d656e744576656e7424526571756573745175657565646772657175657374bf6474797065675265717565737469636c7573746572496466676f6c64656e66636c69656e7468636c69656e742d316974696d657374616d70182b68636f6e747261637465746f6b656e696f7065726174696f6e687472616e7366657264617267738368636c69656e742d3168636c69656e742d306135677265616453657482bf68636f6e747261637465746f6b656e636b657968636c69656e742d316b626c6f636b48656967687403677478496e64657801ffbf68636f6e747261637465746f6b656e636b657968636c69656e742d306b626c6f636b48656967687400677478496e64657800ff697369676e6174757265584007070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707ff6661745469636b05ff");
  }

  @Test
  void jsonIsTheRecordsJson() throws Exception {
    assertThat(JSON.writerFor(ProtocolMessage.class).writeValueAsString(READS))
        .isEqualTo("{\"type\":\"Request\",\"clusterId\":\"golden\",\"client\":\"client-1\",\"timestamp\":43,\"contract\":\"token\",\"operation\":\"transfer\",\"args\":[\"client-1\",\"client-0\",\"5\"],\"readSet\":[{\"contract\":\"token\",\"key\":\"client-1\",\"blockHeight\":3,\"txIndex\":1},{\"contract\":\"token\",\"key\":\"client-0\",\"blockHeight\":0,\"txIndex\":0}],\"signature\":\"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBw==\"}");
  }

  @Test
  void hashesAreTheRecordsAndComputedOnce() {
    assertThat(BLIND.txId())
        .isEqualTo("9949db0ad38b2772e135be5dcebe828d3f72a1a6f20cbd5edfee21d2f501bb37");
    assertThat(BLIND.digest().hex())
        .isEqualTo("b2b80ad76c8a35fc30170468f530ba700b7732fc4f3493f51dd1b25888ec1417");
    assertThat(READS.digest().hex())
        .isEqualTo("01404183a0733e15e45139728154eb220e6811da627daed8c1a3878ef371d39c");
    assertThat(READS.canonicalSize()).isEqualTo(256);
    assertThat(READS.txId()).isSameAs(READS.txId());
    assertThat(READS.digest()).isSameAs(READS.digest());
    byte[] mine = READS.signedBytes();
    mine[0] ^= 1; // a caller's copy: mutating it changes nothing inside the request
    assertThat(READS.signedBytes()).isNotEqualTo(mine);
    assertThat(READS.digest().hex())
        .isEqualTo("01404183a0733e15e45139728154eb220e6811da627daed8c1a3878ef371d39c");
  }

  @Test
  void decodesBackToAnEqualRequestAndRefusesBadValues() throws Exception {
    byte[] bytes = CBOR.writerFor(ProtocolMessage.class).writeValueAsBytes(READS);
    ProtocolMessage back = CBOR.readerFor(ProtocolMessage.class).readValue(bytes);
    assertThat(back).isEqualTo(READS).hasSameHashCodeAs(READS);
    assertThat(((Request) back).readSet()).isEqualTo(READS.readSet());
    String negative = JSON.writerFor(ProtocolMessage.class).writeValueAsString(BLIND)
        .replace("\"timestamp\":42", "\"timestamp\":-1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> JSON.readerFor(ProtocolMessage.class).readValue(negative))
        .hasMessageContaining("timestamp must be >= 0");
  }
}
