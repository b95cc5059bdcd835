using System.Text;
using System.Xml.Linq;

namespace Pungi.Build.Comps;

/// <summary>
/// Writes an XML tree byte for byte as upstream's <c>comps_filter</c> does (<c>lxml</c>'s
/// <c>tree.write(pretty_print=True, xml_declaration=True, encoding="utf-8")</c> followed by one extra <c>"\n"</c>):
/// a single-quoted declaration, two-space indentation only inside elements without text children (libxml2's
/// rule), empty elements as <c>&lt;x/&gt;</c>, libxml2's escaping of text and attributes.
/// </summary>
internal static class LxmlStyleWriter
{
    public static byte[] Write(XDocument doc, bool prettyPrint)
    {
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<?xml version='1.0' encoding='UTF-8'?>\n");
        foreach (var node in doc.Nodes())
        {
            if (node is XText)
                continue; // whitespace outside the root is not part of the infoset lxml keeps
            WriteNode(sb, node, 0, prettyPrint);
            // libxml2 ends the doctype line always, the other top-level nodes only when formatting.
            if (prettyPrint || node is XDocumentType)
                sb.Append('\n');
        }
        sb.Append('\n');
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    private static void WriteNode(StringBuilder sb, XNode node, int level, bool format)
    {
        switch (node)
        {
            case XElement e:
                WriteElement(sb, e, level, format);
                break;
            case XCData c:
                sb.Append("<![CDATA[").Append(c.Value).Append("]]>");
                break;
            case XText t:
                EscapeText(sb, t.Value);
                break;
            case XComment c:
                sb.Append("<!--").Append(c.Value).Append("-->");
                break;
            case XProcessingInstruction p:
                sb.Append("<?").Append(p.Target);
                if (p.Data.Length > 0)
                    sb.Append(' ').Append(p.Data);
                sb.Append("?>");
                break;
            case XDocumentType d:
                sb.Append("<!DOCTYPE ").Append(d.Name);
                if (d.PublicId != null)
                    sb.Append(" PUBLIC \"").Append(d.PublicId).Append('"');
                if (d.SystemId != null)
                    sb.Append(d.PublicId != null ? " \"" : " SYSTEM \"").Append(d.SystemId).Append('"');
                if (!string.IsNullOrEmpty(d.InternalSubset))
                    sb.Append(" [").Append(d.InternalSubset).Append(']');
                sb.Append('>');
                break;
        }
    }

    private static void WriteElement(StringBuilder sb, XElement e, int level, bool format)
    {
        string name = QualifiedName(e, e.Name);
        sb.Append('<').Append(name);
        foreach (var a in e.Attributes())
        {
            sb.Append(' ').Append(AttributeName(e, a)).Append("=\"");
            EscapeAttribute(sb, a.Value);
            sb.Append('"');
        }
        if (!e.Nodes().Any())
        {
            sb.Append("/>");
            return;
        }
        sb.Append('>');
        // libxml2 formats the children only when none of them is text; the switch stays off for the whole subtree.
        bool formatChildren = format && !e.Nodes().Any(n => n is XText);
        foreach (var child in e.Nodes())
        {
            if (formatChildren)
                sb.Append('\n').Append(' ', 2 * (level + 1));
            WriteNode(sb, child, level + 1, formatChildren);
        }
        if (formatChildren)
            sb.Append('\n').Append(' ', 2 * level);
        sb.Append("</").Append(name).Append('>');
    }

    private static string QualifiedName(XElement scope, XName name)
    {
        if (name.Namespace == XNamespace.None)
            return name.LocalName;
        if (name.Namespace == XNamespace.Xml)
            return "xml:" + name.LocalName;
        var prefix = scope.GetPrefixOfNamespace(name.Namespace);
        return string.IsNullOrEmpty(prefix) ? name.LocalName : prefix + ":" + name.LocalName;
    }

    private static string AttributeName(XElement scope, XAttribute a)
    {
        if (a.IsNamespaceDeclaration)
            return a.Name.Namespace == XNamespace.None ? "xmlns" : "xmlns:" + a.Name.LocalName;
        return QualifiedName(scope, a.Name);
    }

    // libxml2 xmlEscapeContent: quotes stay literal in text.
    private static void EscapeText(StringBuilder sb, string s)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r': sb.Append("&#13;"); break;
                default: sb.Append(c); break;
            }
        }
    }

    // libxml2 xmlAttrSerializeTxtContent.
    private static void EscapeAttribute(StringBuilder sb, string s)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\n': sb.Append("&#10;"); break;
                case '\r': sb.Append("&#13;"); break;
                case '\t': sb.Append("&#9;"); break;
                default: sb.Append(c); break;
            }
        }
    }
}
