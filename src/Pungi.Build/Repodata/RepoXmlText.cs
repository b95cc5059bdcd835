using System.Globalization;
using System.Text;

namespace Pungi.Build.Repodata;

/// <summary>
/// Writes XML the way libxml2's <c>xmlNodeDump</c> formats createrepo_c's package nodes, byte for byte: two-space
/// indent, empty text elements as <c>&lt;a&gt;&lt;/a&gt;</c>, text escaping <c>&lt; &gt; &amp;</c> and CR as
/// <c>&amp;#13;</c>, attribute escaping also <c>"</c>, LF, TAB as decimal references. An <c>XmlWriter</c> escapes
/// differently (<c>&amp;#xA;</c>) and cannot write the package-level fragments unindented, so this small writer
/// does it. Characters XML 1.0 forbids (C0 controls, lone surrogates) are dropped rather than written.
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
            string? rep = c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '\r' => "&#13;",
                '"' when attribute => "&quot;",
                '\n' when attribute => "&#10;",
                '\t' when attribute => "&#9;",
                _ => null,
            };
            bool drop = rep is null && IsForbidden(s, i);
            if (rep is null && !drop) continue;
            if (i > start) Writer.Write(s.AsSpan(start, i - start));
            if (rep is not null) Writer.Write(rep);
            start = i + 1;
        }
        if (start < s.Length) Writer.Write(s.AsSpan(start));
    }

    private static bool IsForbidden(string s, int i)
    {
        char c = s[i];
        if (c < 0x20) return c is not ('\t' or '\n' or '\r');
        if (c is '\uFFFE' or '\uFFFF') return true;
        if (char.IsHighSurrogate(c)) return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(s[i - 1]);
        return false;
    }

    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
