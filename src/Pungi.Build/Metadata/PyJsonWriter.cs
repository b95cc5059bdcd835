using System.Globalization;
using System.Text;

namespace Pungi.Build.Metadata;

/// <summary>
/// A forward-only writer producing the same text as <see cref="ProductmdJson.Serialize"/> (Python's
/// <c>json.dump(indent=4, sort_keys=True, separators=(",", ": "))</c>) without building a tree first, for large
/// files such as rpms.json. The caller writes keys in sorted (ordinal) order.
/// </summary>
public sealed class PyJsonWriter(TextWriter output, int baseDepth = 0)
{
    private readonly Stack<(bool IsObject, int Count)> _stack = new();
    private bool _afterKey;
    private readonly StringBuilder _scratch = new();

    public void StartObject() => Open('{', isObject: true);
    public void EndObject() => Close('}');
    public void StartArray() => Open('[', isObject: false);
    public void EndArray() => Close(']');

    public void Key(string key)
    {
        BeforeItem();
        WriteString(key);
        output.Write(": ");
        _afterKey = true;
    }

    public void String(string? value)
    {
        BeforeValue();
        if (value is null)
            output.Write("null");
        else
            WriteString(value);
    }

    public void Number(long value)
    {
        BeforeValue();
        output.Write(value.ToString(CultureInfo.InvariantCulture));
    }

    public void Bool(bool value)
    {
        BeforeValue();
        output.Write(value ? "true" : "false");
    }

    /// <summary>
    /// A value serialised earlier by a writer whose <c>baseDepth</c> was this writer's depth at this point (rpms.json's
    /// cached per variant.arch fragments), copied from <paramref name="json"/> as it is.
    /// </summary>
    public void Raw(TextReader json)
    {
        BeforeValue();
        var buf = new char[1 << 16];
        int n;
        while ((n = json.Read(buf, 0, buf.Length)) > 0)
            output.Write(buf, 0, n);
    }

    /// <summary>
    /// As <see cref="Raw(TextReader)"/> from UTF-8 bytes: copied as bytes when this writer writes UTF-8 into a stream
    /// (no decoding and re-encoding of a 5 MB fragment), else decoded.
    /// </summary>
    public void Raw(Stream utf8Json)
    {
        if (output is StreamWriter { Encoding: UTF8Encoding } sw)
        {
            BeforeValue();
            sw.Flush();
            utf8Json.CopyTo(sw.BaseStream, 1 << 16);
            return;
        }
        using var reader = new StreamReader(utf8Json, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        Raw(reader);
    }

    /// <summary>The nesting depth a value written next sits at (what a fragment's <c>baseDepth</c> must be).</summary>
    public int Depth => _stack.Count + baseDepth;

    public void Null()
    {
        BeforeValue();
        output.Write("null");
    }

    public void Property(string key, string? value)
    {
        Key(key);
        String(value);
    }

    public void Property(string key, long value)
    {
        Key(key);
        Number(value);
    }

    public void Property(string key, bool value)
    {
        Key(key);
        Bool(value);
    }

    private void Open(char c, bool isObject)
    {
        BeforeValue();
        output.Write(c);
        _stack.Push((isObject, 0));
    }

    private void Close(char c)
    {
        var (_, count) = _stack.Pop();
        if (count > 0)
        {
            output.Write('\n');
            Indent(_stack.Count + baseDepth);
        }
        output.Write(c);
    }

    private void BeforeValue()
    {
        if (_afterKey)
        {
            _afterKey = false;
            return;
        }
        if (_stack.Count > 0)
            BeforeItem();
    }

    private void BeforeItem()
    {
        var (isObject, count) = _stack.Pop();
        output.Write(count == 0 ? "\n" : ",\n");
        _stack.Push((isObject, count + 1));
        Indent(_stack.Count + baseDepth);
    }

    private void Indent(int level)
    {
        for (var i = 0; i < level; i++)
            output.Write("    ");
    }

    private void WriteString(string s)
    {
        _scratch.Clear();
        ProductmdJson.WriteString(_scratch, s);
        output.Write(_scratch);
    }
}
