package io.jtorrent.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon's JSON: Jackson's streaming parser and generator and its tree nodes, without its data
 * binding. An {@code ObjectMapper} and the serializers and deserializers it builds are ~450 classes
 * — an eighth of those an idle daemon had loaded, each resident in its memory — for a tree in and
 * a tree out. The state classes ({@link DaemonState}, {@link TorrentRecord}, a bandwidth group)
 * are plain public fields, copied to and from trees here by reflection as databind did: each field
 * under its own name, in declaration order, unknown keys ignored.
 */
final class Json {
    private Json() {}

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Strings up to the RPC body's size (a base64 torrent), nesting far below any stack limit. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(HttpGate.MAX_RPC_BODY).maxNestingDepth(64).build())
            .build();

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * One JSON value, as a tree; null for empty input. Malformed input, or more than one value,
     * throws Jackson's {@link com.fasterxml.jackson.core.JsonProcessingException} (its message says where).
     */
    static JsonNode read(byte[] in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode n = value(p);
            if (p.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "more than one JSON value");
            }
            return n;
        }
    }

    private static JsonNode value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, value(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
    }

    /** The tree as compact JSON (UTF-8). */
    static byte[] write(JsonNode n) {
        return write(n, false);
    }

    /** The tree as JSON indented as Jackson's default pretty printer does (the files). */
    static byte[] writePretty(JsonNode n) {
        return write(n, true);
    }

    private static byte[] write(JsonNode n, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            write(g, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                    default -> g.writeNumber(n.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case BINARY -> g.writeBinary(n.binaryValue());
            case POJO -> {
                // torrent-get's rows (TorrentFields.Rows) stream themselves into the generator
                Object pojo = ((com.fasterxml.jackson.databind.node.POJONode) n).getPojo();
                if (!(pojo instanceof com.fasterxml.jackson.databind.JsonSerializable s)) {
                    throw new IllegalArgumentException("a " + pojo.getClass() + " has no JSON form here");
                }
                s.serialize(g, null);
            }
            default -> throw new IllegalArgumentException("a " + n.getNodeType() + " node has no JSON form here");
        }
    }

    /**
     * A value as a tree: null, strings, booleans, numbers, lists, maps with string keys, and
     * objects of classes with public fields (each field under its name, in declaration order).
     */
    static JsonNode tree(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return NODES.numberNode(((Number) v).intValue());
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double || v instanceof Float) {
            return NODES.numberNode(((Number) v).doubleValue());
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode(list.size());
            for (Object e : list) {
                a.add(tree(e));
            }
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                o.set(String.valueOf(e.getKey()), tree(e.getValue()));
            }
            return o;
        }
        ObjectNode o = NODES.objectNode();
        for (Field f : fields(v.getClass())) {
            try {
                o.set(f.getName(), tree(f.get(v)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return o;
    }

    /** A new object of a class with public fields, from a tree (fields it lacks keep their defaults). */
    static <T> T fromTree(JsonNode n, Class<T> type) throws IOException {
        if (!n.isObject()) {
            throw new IOException("expected a JSON object, got " + n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        T target;
        try {
            target = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " needs a public constructor without arguments", e);
        }
        update(target, (ObjectNode) n);
        return target;
    }

    /** Sets the public fields of {@code target} that the object names; other keys are ignored. */
    static void update(Object target, ObjectNode n) throws IOException {
        for (Field f : fields(target.getClass())) {
            JsonNode v = n.get(f.getName());
            if (v == null) {
                continue;
            }
            Object value = convert(v, f.getGenericType(), f.getName());
            if (value == null && f.getType().isPrimitive()) {
                continue; // null for a number or a flag: its default stays
            }
            try {
                f.set(target, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Object convert(JsonNode v, Type type, String where) throws IOException {
        if (v.isNull()) {
            return null;
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            if (!v.isValueNode()) {
                throw wrong(where, "a string", v);
            }
            return v.asText();
        }
        if (raw == int.class || raw == Integer.class) {
            long n = number(v, where);
            if (n != (int) n) {
                throw new IOException("\"" + where + "\" is out of range: " + n);
            }
            return (int) n;
        }
        if (raw == long.class || raw == Long.class) {
            return number(v, where);
        }
        if (raw == double.class || raw == Double.class) {
            if (!v.isNumber()) {
                throw wrong(where, "a number", v);
            }
            return v.doubleValue();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!v.isBoolean()) {
                throw wrong(where, "true or false", v);
            }
            return v.booleanValue();
        }
        if (raw == List.class) {
            if (!v.isArray()) {
                throw wrong(where, "an array", v);
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>(v.size());
            for (JsonNode e : v) {
                out.add(convert(e, element, where + "[]"));
            }
            return out;
        }
        if (raw == Map.class) {
            if (!v.isObject()) {
                throw wrong(where, "an object", v);
            }
            Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
            Map<String, Object> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), convert(e.getValue(), value, where + "." + e.getKey()));
            }
            return out;
        }
        if (!v.isObject()) {
            throw wrong(where, "an object", v);
        }
        return fromTree(v, raw);
    }

    private static long number(JsonNode v, String where) throws IOException {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return (long) v.doubleValue(); // as databind took 1.0 for 1
        }
        throw wrong(where, "a number", v);
    }

    private static IOException wrong(String where, String want, JsonNode got) {
        return new IOException("\"" + where + "\" must be " + want + ", not " + got.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                out.add(f);
            }
        }
        return out;
    }
}
