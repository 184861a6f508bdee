package zonegate.app.internal.observe;

import java.util.List;

/** The health endpoints' body: {@code {"ok":bool,"checks":{"name":{"ok":bool,"detail":"..."}}}}. */
final class HealthJson {
    private HealthJson() {
    }

    static String write(boolean ok, List<HealthCheck> checks) {
        StringBuilder out = new StringBuilder(64 + checks.size() * 64);
        out.append("{\"ok\":").append(ok).append(",\"checks\":{");
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            if (i > 0) {
                out.append(',');
            }
            string(check.name(), out);
            out.append(":{\"ok\":").append(check.ok()).append(",\"detail\":");
            string(check.detail(), out);
            out.append('}');
        }
        return out.append("}}\n").toString();
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
