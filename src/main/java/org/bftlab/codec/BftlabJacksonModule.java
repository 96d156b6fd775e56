package org.bftlab.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.bftlab.core.Event;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;

/**
 * Maps the core's value types to strings ({@code node-0}, {@code client-0}, 64-hex digests) and
 * gives the core's sealed message hierarchies a {@code "type"} property naming the record, so
 * that the pure core carries no Jackson annotations. Registered with Pekko's Jackson serializer
 * through {@code pekko.serialization.jackson.jackson-modules} and used by the HTTP API's mapper.
 * A value that fails its record's validation is rejected with a message naming the field.
 */
public final class BftlabJacksonModule extends SimpleModule {
  /** Sealed roots whose permitted records are registered as named subtypes. */
  private static final Class<?>[] SEALED_ROOTS = {ProtocolMessage.class, Signal.class,
      AgreementEvent.class, BlockCommitEvent.class,
      ElectionEvent.class};

  public BftlabJacksonModule() {
    super("bftlab");
    asString(NodeId.class, NodeId::toString, NodeId::parse);
    asString(ClientId.class, ClientId::value, ClientId::new);
    asString(Digest.class, Digest::hex, Digest::new);
    // every event, so that a List<Event> (a compacted journal in a snapshot) keeps its types
    setMixInAnnotation(Event.class, TypedMixin.class);
    for (Class<?> root : SEALED_ROOTS) {
      setMixInAnnotation(root, TypedMixin.class);
      registerPermitted(root);
    }
    setMixInAnnotation(Request.class, RequestMixin.class);
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", include = JsonTypeInfo.As.PROPERTY)
  private interface TypedMixin {}

  /**
   * {@link Request} is a final class with memoised hashes (it was a record): this gives it the
   * record's Jackson shape, its eight fields in declaration order through its constructor and
   * accessors, so wire and journal bytes stay as they were.
   */
  @JsonPropertyOrder({"clusterId", "client", "timestamp", "contract", "operation", "args",
      "readSet", "signature"})
  @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE,
      getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE)
  private abstract static class RequestMixin {
    @JsonCreator
    RequestMixin(@JsonProperty("clusterId") String clusterId,
        @JsonProperty("client") ClientId client, @JsonProperty("timestamp") long timestamp,
        @JsonProperty("contract") String contract, @JsonProperty("operation") String operation,
        @JsonProperty("args") List<String> args, @JsonProperty("readSet") List<ReadEntry> readSet,
        @JsonProperty("signature") byte[] signature) {}

    @JsonProperty("clusterId") abstract String clusterId();

    @JsonProperty("client") abstract ClientId client();

    @JsonProperty("timestamp") abstract long timestamp();

    @JsonProperty("contract") abstract String contract();

    @JsonProperty("operation") abstract String operation();

    @JsonProperty("args") abstract List<String> args();

    @JsonProperty("readSet") abstract List<ReadEntry> readSet();

    @JsonProperty("signature") abstract byte[] signature();
  }

  private void registerPermitted(Class<?> type) {
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted == null) {
      // "PrePrepare"; nested records keep their outer name: "AgreementEvent$Rejected"
      registerSubtypes(new NamedType(type, type.getName().substring(type.getPackageName().length() + 1)));
      return;
    }
    for (Class<?> sub : permitted) {
      registerPermitted(sub);
    }
  }

  private <T> void asString(Class<T> type, Function<T, String> write, Function<String, T> read) {
    addSerializer(type, new JsonSerializer<T>() {
      @Override
      public void serialize(T value, JsonGenerator gen, SerializerProvider p) throws IOException {
        gen.writeString(write.apply(value));
      }
    });
    addDeserializer(type, new JsonDeserializer<T>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String text = p.getValueAsString();
        try {
          return read.apply(text);
        } catch (IllegalArgumentException e) {
          throw InvalidFormatException.from(p, e.getMessage(), text, type);
        }
      }
    });
  }
}
