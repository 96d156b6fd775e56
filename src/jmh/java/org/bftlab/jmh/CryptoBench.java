package org.bftlab.jmh;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Ed25519KeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-request costs: canonical bytes, digest, transaction id, Ed25519 sign and verify (RFC 8032). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CryptoBench {
  private Ed25519.SigningKey signer;
  private Ed25519.VerifyingKey verifier;
  private Request request;
  private byte[] signedBytes;

  @Setup
  public void setUp() {
    Ed25519KeyPair kp = Ed25519.generate(new SecureRandom(new byte[] {7}));
    signer = Ed25519.signingKey(kp.privateKey());
    verifier = Ed25519.verifyingKey(kp.publicKey());
    request = Request.sign("bench", new ClientId("client-0"), 1_000_000L, "token", "transfer",
        List.of("client-0", "client-1", "5"), signer::sign);
    signedBytes = request.signedBytes();
  }

  @Benchmark
  public byte[] canonicalBytes() {
    return request.signedBytes();
  }

  @Benchmark
  public Digest requestDigest() {
    return request.digest();
  }

  @Benchmark
  public String txId() {
    return request.txId();
  }

  @Benchmark
  public byte[] sign() {
    return signer.sign(signedBytes);
  }

  @Benchmark
  public boolean verify() {
    return verifier.verify(signedBytes, request.signature());
  }
}
