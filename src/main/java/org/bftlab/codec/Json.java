package org.bftlab.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON mapper for HTTP bodies, genesis files, summaries and trace lines. */
public final class Json {
  private Json() {}

  /**
   * A new mapper with {@link BftlabJacksonModule}; fails on unknown properties and on null
   * primitives, so a malformed body is rejected rather than half-read; reads within
   * {@link ReadLimits#json()} (nesting, number, name, string and document length).
   */
  public static ObjectMapper mapper() {
    return JsonMapper.builder(factory())
        .addModule(new BftlabJacksonModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  /** A JSON factory reading within {@link ReadLimits#json()}. */
  public static JsonFactory factory() {
    return JsonFactory.builder().streamReadConstraints(ReadLimits.json()).build();
  }
}
