package org.bftlab.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.RequestChecks;

/**
 * The client gateway's checks on a {@code POST /transactions} body, in this order; the first
 * failure is the answer and the request never reaches the node:
 *
 * <ol>
 *   <li>body longer than {@link #maxBodyBytes()} ({@code 2 * maxRequestBytes}) → 413
 *       {@code TOO_LARGE};</li>
 *   <li>not one JSON object, a missing or null field, an unknown field, a value of the wrong type
 *       (no coercion: {@code "5"} is not a number, {@code 5} is not a string, {@code 1.5} is not
 *       an integer), an invalid client id, a negative timestamp or non-base64 signature → 400
 *       {@code MALFORMED}, the message naming the field; a control character in a name, key or
 *       account ({@link InputRules}) → 400 {@code MALFORMED};</li>
 *   <li>request canonical size over {@code maxRequestBytes} → 413 {@code TOO_LARGE};</li>
 *   <li>{@link RequestChecks#check}: MALFORMED (names) → 400, WRONG_CLUSTER → 400,
 *       UNKNOWN_CLIENT → 403, BAD_SIGNATURE → 401 (see {@link ApiError#of}).</li>
 * </ol>
 *
 * Pure and thread-safe: no I/O, usable without HTTP.
 */
public final class Gateway {
  /** The fields of {@link TransactionBody}, in declaration order. */
  static final List<String> FIELDS = Arrays.stream(TransactionBody.class.getRecordComponents())
      .map(c -> c.getName()).toList();
  /** Fields a body may leave out: a transaction without a read set is a blind write. */
  static final List<String> OPTIONAL_FIELDS = List.of("readSet");

  private final ProtocolParams params;
  private final Authenticator verifier;
  private final ObjectMapper mapper;
  private final ObjectReader treeReader;

  public Gateway(ProtocolParams params, Authenticator verifier) {
    this.params = Objects.requireNonNull(params, "params");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.mapper = strictMapper();
    this.treeReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** What the gateway decided about one body. */
  public sealed interface Admission {
    /** Passed every check: hand {@code request} to the node. */
    record Admitted(Request request) implements Admission {}

    /**
     * Failed a check: answer with {@code error}; {@code txId} is the refused request's id when
     * the body parsed far enough to have one, null otherwise.
     */
    record Refused(ApiError error, String txId) implements Admission {
      Refused(ApiError error) {
        this(error, null);
      }
    }
  }

  /** The largest body accepted, in bytes: twice the largest canonical request. */
  public long maxBodyBytes() {
    return 2L * params.maxRequestBytes();
  }

  /** Runs every check on {@code body} (the raw bytes of a {@code POST /transactions}). */
  public Admission admit(byte[] body) {
    if (body.length > maxBodyBytes()) {
      return refuse(tooLargeBody(body.length));
    }
    Request request;
    try {
      request = parse(body);
    } catch (IllegalArgumentException e) {
      return refuse(ApiError.malformed(e.getMessage()));
    }
    Optional<ApiError> badName = InputRules.check(request);
    if (badName.isPresent()) {
      return new Admission.Refused(badName.get(), request.txId());
    }
    int size = request.canonicalSize();
    if (size > params.maxRequestBytes()) {
      return new Admission.Refused(ApiError.tooLarge("request is " + size + " bytes in canonical "
          + "form, more than the " + params.maxRequestBytes() + "-byte limit (maxRequestBytes)"),
          request.txId());
    }
    Optional<RequestChecks.Rejection> rejection = RequestChecks.check(request, params, verifier);
    if (rejection.isPresent()) {
      return new Admission.Refused(ApiError.of(rejection.get()), request.txId());
    }
    return new Admission.Admitted(request);
  }

  /** The 413 for a body of {@code length} bytes (or more, when streamed). */
  ApiError tooLargeBody(long length) {
    return ApiError.tooLarge("body is " + length + " bytes or more, more than the "
        + maxBodyBytes() + "-byte limit (2 x maxRequestBytes)");
  }

  /**
   * Parses a body into a request.
   *
   * @throws IllegalArgumentException with a message naming the offending field
   */
  Request parse(byte[] body) {
    JsonNode tree;
    try {
      tree = treeReader.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("body is not valid JSON: " + describe(e));
    }
    if (tree == null || tree.isMissingNode()) {
      throw new IllegalArgumentException("body is empty; expected a JSON object with fields "
          + String.join(", ", FIELDS));
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object, got " + tree.getNodeType());
    }
    for (String field : FIELDS) {
      if (OPTIONAL_FIELDS.contains(field)) {
        continue;
      }
      JsonNode value = tree.get(field);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException("field '" + field + "' is required");
      }
    }
    TransactionBody parsed;
    try {
      parsed = mapper.treeToValue(tree, TransactionBody.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException("unknown field '" + e.getPropertyName()
          + "'; the fields are " + String.join(", ", FIELDS));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e));
    }
    try {
      return parsed.toRequest();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      if (m != null && m.startsWith("client id")) {
        throw new IllegalArgumentException("field 'client': " + m);
      }
      if (m != null && m.startsWith("timestamp")) {
        throw new IllegalArgumentException("field 'timestamp': " + m);
      }
      throw new IllegalArgumentException(m == null ? e.toString() : m);
    }
  }

  private static Admission refuse(ApiError error) {
    return new Admission.Refused(error);
  }

  /** "field 'x': problem" for a mapping error with a path, the parser's message otherwise. */
  private static String describe(IOException e) {
    if (e instanceof JacksonException je) {
      String message = firstLine(je.getOriginalMessage())
          .replaceAll("\\s*\\(but (?:might|could) if coercion[^)]*\\)\\s*$", "");
      if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
        return "field '" + path(jme.getPath()) + "': " + message;
      }
      var loc = je.getLocation();
      if (loc != null && loc.getLineNr() > 0) {
        return message + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
      }
      return message;
    }
    return e.toString();
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    return refs.stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** {@link Json#mapper()} without scalar coercions: a value must have the field's JSON type. */
  private static ObjectMapper strictMapper() {
    ObjectMapper m = Json.mapper();
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Collection)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return m;
  }
}
