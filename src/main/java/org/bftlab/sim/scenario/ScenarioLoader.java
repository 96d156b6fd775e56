package org.bftlab.sim.scenario;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bftlab.codec.BftlabJacksonModule;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.fault.NetworkRuleSpec;

/**
 * Reads and writes scenario files (YAML, through {@code jackson-dataformat-yaml} and {@link
 * BftlabJacksonModule} for node ids). Strict: an unknown field, a wrong type, a value out of
 * range, an unknown rule/fault/strategy name or a node outside the cluster is a {@link
 * ScenarioException} whose message names the file, the line and the field path, e.g.
 * {@code normal.yaml:12: field 'faults.network[0].probabilty': unknown field; known fields:
 * [from, probability, receivers, senders, types, until]}.
 */
public final class ScenarioLoader {
  private static final YAMLMapper MAPPER = YAMLMapper.builder(new YAMLFactory())
      .addModule(new BftlabJacksonModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();
  private static final Pattern KNOWN_IDS = Pattern.compile("known type ids = (\\[[^\\]]*\\])");

  private ScenarioLoader() {}

  /** Reads {@code file}. */
  public static Scenario load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScenarioException(file.toString(), 0, null, "cannot read: " + e);
    }
    return parse(text, file.toString());
  }

  /** Parses {@code yaml}; {@code source} names it in errors. */
  public static Scenario parse(String yaml, String source) {
    Scenario s;
    try {
      s = MAPPER.readValue(yaml, Scenario.class);
    } catch (JsonMappingException e) {
      throw explain(e, yaml, source);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new ScenarioException(source, l == null ? 0 : l.getLineNr(), null,
          "not valid YAML: " + e.getOriginalMessage());
    }
    if (s == null) {
      throw new ScenarioException(source, 0, null, "empty scenario file");
    }
    validate(s, yaml, source);
    return s;
  }

  /** The scenario as YAML (parses back to an equal scenario). */
  public static String toYaml(Scenario s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("scenario does not serialize: " + e.getMessage(), e);
    }
  }

  private static ScenarioException explain(JsonMappingException e, String yaml, String source) {
    String path = path(e.getPath());
    String problem;
    if (e instanceof UnrecognizedPropertyException u) {
      Set<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(k -> known.add(k.toString()));
      problem = "unknown field; known fields: " + known;
    } else if (e instanceof InvalidTypeIdException t) {
      Matcher m = KNOWN_IDS.matcher(t.getOriginalMessage());
      String known = m.find() ? "; one of " + m.group(1) : "";
      problem = t.getTypeId() == null ? "missing the field that names the kind" + known
          : "unknown kind '" + t.getTypeId() + "'" + known;
    } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      // a record's constructor ran before Jackson could flag a misspelt field: look for one
      String unknown = v.getType() == null ? null : unknownField(yaml, path, v.getType().getRawClass());
      if (unknown != null) {
        path = path + (path.isEmpty() ? "" : ".") + unknown;
        problem = "unknown field; known fields: " + knownFields(v.getType().getRawClass());
      } else {
        problem = v.getCause().getMessage();
      }
    } else if (e instanceof InvalidFormatException f) {
      problem = "bad value '" + f.getValue() + "': " + firstLine(f.getOriginalMessage());
    } else if (e instanceof MismatchedInputException mi) {
      problem = "bad value: expected " + (mi.getTargetType() == null ? "another type"
          : describe(mi.getTargetType())) + " (" + firstLine(mi.getOriginalMessage()) + ")";
    } else {
      problem = firstLine(e.getOriginalMessage());
    }
    int line = lineOf(yaml, path);
    if (line == 0 && e.getLocation() != null) {
      line = e.getLocation().getLineNr();
    }
    return new ScenarioException(source, line, path, problem);
  }

  /** The first field of the object at {@code path} that {@code type} does not have, if any. */
  private static String unknownField(String yaml, String path, Class<?> type) {
    if (!type.isRecord()) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(yaml);
      if (!path.isEmpty()) {
        node = node.at("/" + path.replace("[", "/").replace("]", "").replace(".", "/"));
      }
      Set<String> known = knownFields(type);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!known.contains(f)) {
          return f;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** A record's component names plus the property naming its kind ({@code rule} …). */
  private static Set<String> knownFields(Class<?> type) {
    Set<String> known = new TreeSet<>();
    for (var c : type.getRecordComponents()) {
      known.add(c.getName());
    }
    for (Class<?> i : type.getInterfaces()) {
      var info = i.getAnnotation(JsonTypeInfo.class);
      if (info != null) {
        known.add(info.property());
      }
    }
    return known;
  }

  private static String describe(Class<?> t) {
    if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return "an integer";
    } else if (t == double.class || t == Double.class) {
      return "a number";
    } else if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    } else if (List.class.isAssignableFrom(t)) {
      return "a list";
    }
    return t.getSimpleName();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /** {@code faults.network[0].probability} from Jackson's reference path. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** Semantic checks that need the whole file: every node named is a replica of the cluster. */
  private static void validate(Scenario s, String yaml, String source) {
    int n = s.cluster().nodes();
    Scenario.Faults f = s.faultsOrNone();
    Map<String, NodeId> named = new HashMap<>();
    for (int i = 0; i < f.processFaults().size(); i++) {
      named.put("faults.process[" + i + "].node", f.processFaults().get(i).node());
    }
    Set<NodeId> byzantine = new HashSet<>();
    for (int i = 0; i < f.byzantineNodes().size(); i++) {
      ByzantineEntry b = f.byzantineNodes().get(i);
      String p = "faults.byzantine[" + i + "]";
      named.put(p + ".node", b.node());
      if (!byzantine.add(b.node())) {
        throw new ScenarioException(source, lineOf(yaml, p + ".node"), p + ".node",
            b.node() + " already has a Byzantine strategy (one per node)");
      }
      try {
        b.toNode().spec().strategy();
      } catch (IllegalArgumentException e) {
        throw new ScenarioException(source, lineOf(yaml, p), p, e.getMessage());
      }
    }
    for (int i = 0; i < f.networkRules().size(); i++) {
      String p = "faults.network[" + i + "]";
      try {
        f.networkRules().get(i).toRule();
      } catch (IllegalArgumentException e) {
        throw new ScenarioException(source, lineOf(yaml, p), p, e.getMessage());
      }
      if (f.networkRules().get(i) instanceof NetworkRuleSpec.Isolate iso) {
        named.put(p + ".node", iso.node());
      }
    }
    named.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getValue() != null && e.getValue().index() >= n) {
        throw new ScenarioException(source, lineOf(yaml, e.getKey()), e.getKey(), e.getValue()
            + " is not a replica of this " + n + "-node cluster (node-0..node-" + (n - 1) + ")");
      }
    });
  }

  /** The 1-based line where {@code path} (dotted, with [i]) starts in {@code yaml}; 0 if not found. */
  static int lineOf(String yaml, String path) {
    if (path == null || path.isEmpty()) {
      return 0;
    }
    String pointer = "/" + path.replace("[", "/").replace("]", "").replace(".", "/");
    try (JsonParser p = MAPPER.getFactory().createParser(yaml)) {
      while (p.nextToken() != null) {
        String at = p.getParsingContext().pathAsPointer().toString();
        if (p.currentToken() == JsonToken.FIELD_NAME || p.currentToken().isScalarValue()
            || p.currentToken().isStructStart()) {
          if (at.equals(pointer)) {
            return p.currentTokenLocation().getLineNr();
          }
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
