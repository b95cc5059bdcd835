using System.Globalization;
using System.Text;

namespace Pungi.Build.Repodata;

/// <summary>
/// Writes XML the way libxml2's <c>xmlNodeDump</c> formats createrepo_c's package nodes, byte for byte: two-space
/// indent, empty text elements as <c>&lt;a&gt;&lt;/a&gt;</c>, text escaping <c>&lt; &gt; &amp;</c> and CR as
/// <c>&amp;#xD;</c>, attribute escaping also <c>"</c> and LF, CR, TAB as decimal references, and every non-ASCII
/// character as an upper-case hex reference (<c>Lubom&amp;#xED;r</c>: createrepo_c dumps nodes without an output
/// encoding, so libxml2 escapes them). An <c>XmlWriter</c> escapes differently and cannot write the package-level
/// fragments unindented, so this small writer does it. Characters XML 1.0 forbids (C0 controls, lone surrogates)
/// are dropped rather than written.
/// </summary>
internal sealed class RepoXmlText(TextWriter w)
{
    public TextWriter Writer { get; } = w;

    public void Raw(string s) => Writer.Write(s);

    public void Indent(int level)
    {
        for (int i = 0; i < level; i++) Writer.Write("  ");
    }

    /// <summary><c>  &lt;name&gt;text&lt;/name&gt;\n</c></summary>
    public void TextElement(int level, string name, string? text)
    {
        Indent(level);
        Writer.Write('<');
        Writer.Write(name);
        Writer.Write('>');
        Text(text);
        Writer.Write("</");
        Writer.Write(name);
        Writer.Write(">\n");
    }

    /// <summary>Starts <c>&lt;name</c>; add attributes, then close with <see cref="EndEmpty"/> or <see cref="EndOpen"/>.</summary>
    public void Start(int level, string name)
    {
        Indent(level);
        Writer.Write('<');
        Writer.Write(name);
    }

    public void Attr(string name, string? value)
    {
        Writer.Write(' ');
        Writer.Write(name);
        Writer.Write("=\"");
        Escape(value, attribute: true);
        Writer.Write('"');
    }

    public void Attr(string name, long value)
    {
        Writer.Write(' ');
        Writer.Write(name);
        Writer.Write("=\"");
        Writer.Write(value.ToString(CultureInfo.InvariantCulture));
        Writer.Write('"');
    }

    public void EndEmpty() => Writer.Write("/>\n");

    public void EndOpen(bool newline = true) => Writer.Write(newline ? ">\n" : ">");

    public void Close(int level, string name)
    {
        Indent(level);
        Writer.Write("</");
        Writer.Write(name);
        Writer.Write(">\n");
    }

    public void Text(string? text) => Escape(text, attribute: false);

    private void Escape(string? s, bool attribute)
    {
        if (string.IsNullOrEmpty(s)) return;
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= ' ' and < '\u0080' and not ('<' or '>' or '&' or '"')) continue;
            if (i > start) Writer.Write(s.AsSpan(start, i - start));
            start = i + 1;
            switch (c)
            {
                case '<': Writer.Write("&lt;"); break;
                case '>': Writer.Write("&gt;"); break;
                case '&': Writer.Write("&amp;"); break;
                case '"': Writer.Write(attribute ? "&quot;" : "\""); break;
                case '\n': Writer.Write(attribute ? "&#10;" : "\n"); break;
                case '\t': Writer.Write(attribute ? "&#9;" : "\t"); break;
                case '\r': Writer.Write(attribute ? "&#13;" : "&#xD;"); break;
                default:
                    // Non-ASCII becomes an upper-case hex character reference (libxml2 without an output encoding).
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        HexRef(char.ConvertToUtf32(c, s[i + 1]));
                        i++;
                        start = i + 1;
                    }
                    else if (c >= '\u0080' && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF')) HexRef(c);
                    // else: a C0 control or a lone surrogate, which XML cannot carry: dropped.
                    break;
            }
        }
        if (start < s.Length) Writer.Write(s.AsSpan(start));
    }

    private void HexRef(int codePoint)
    {
        Writer.Write("&#x");
        Writer.Write(codePoint.ToString("X", CultureInfo.InvariantCulture));
        Writer.Write(';');
    }

    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
