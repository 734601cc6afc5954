package dev.vpcflowlogs.recorder.standin;

final class Xml {

    private Xml() {}

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    static String element(String name, Object value) {
        return value == null ? "" : "<" + name + ">" + escape(value.toString()) + "</" + name + ">";
    }
}
