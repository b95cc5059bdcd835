using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pungi.Build.PungiConfig;

/// <summary>Where a value was written: the file (after <c>from X import</c>, the imported file) and 1-based line/column.</summary>
public readonly record struct SourcePos(string File, int Line, int Column)
{
    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>
/// A value of kobo's Python-like config language: what <c>PyConfigParser</c> can produce (str, int, float, bool,
/// None, list, tuple, dict). Every value remembers where it was written so errors and warnings point at it.
/// </summary>
public abstract record PyValue(SourcePos Pos)
{
    /// <summary>The Python type name, for messages ("expected a list, got dict").</summary>
    public abstract string TypeName { get; }

    /// <summary>Python's <c>repr()</c>-like text, used in XML comments that keep an unmapped option.</summary>
    public string ToPython()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    internal abstract void Write(StringBuilder sb);
}

public sealed record PyStr(string Value, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "str";

    internal override void Write(StringBuilder sb)
    {
        sb.Append('\'');
        foreach (var c in Value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\r': sb.Append(@"\r"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('\'');
    }
}

public sealed record PyInt(BigInteger Value, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "int";
    internal override void Write(StringBuilder sb) => sb.Append(Value.ToString(CultureInfo.InvariantCulture));
}

public sealed record PyFloat(double Value, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "float";

    internal override void Write(StringBuilder sb)
    {
        // Python's repr keeps a ".0" on integral floats.
        var s = Value.ToString("R", CultureInfo.InvariantCulture);
        sb.Append(s);
        if (double.IsFinite(Value) && !s.Contains('.') && !s.Contains('E')) sb.Append(".0");
    }
}

public sealed record PyBool(bool Value, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "bool";
    internal override void Write(StringBuilder sb) => sb.Append(Value ? "True" : "False");
}

public sealed record PyNone(SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "NoneType";
    internal override void Write(StringBuilder sb) => sb.Append("None");
}

/// <summary>A list or (with <see cref="IsTuple"/>) a tuple.</summary>
public sealed record PyList(IReadOnlyList<PyValue> Items, bool IsTuple, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => IsTuple ? "tuple" : "list";

    internal override void Write(StringBuilder sb)
    {
        sb.Append(IsTuple ? '(' : '[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Items[i].Write(sb);
        }
        if (IsTuple && Items.Count == 1) sb.Append(',');
        sb.Append(IsTuple ? ')' : ']');
    }
}

/// <summary>A dict, in the order its keys were written (Python 3.7+ dicts keep insertion order).</summary>
public sealed record PyDict(IReadOnlyList<KeyValuePair<PyValue, PyValue>> Entries, SourcePos Pos) : PyValue(Pos)
{
    public override string TypeName => "dict";

    /// <summary>The value under a string key, or null.</summary>
    public PyValue? Get(string key)
        => Entries.FirstOrDefault(e => e.Key is PyStr s && s.Value == key).Value;

    internal override void Write(StringBuilder sb)
    {
        sb.Append('{');
        for (int i = 0; i < Entries.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Entries[i].Key.Write(sb);
            sb.Append(": ");
            Entries[i].Value.Write(sb);
        }
        sb.Append('}');
    }
}

/// <summary>One top-level assignment <c>name = value</c> as it ends up after imports (the last one wins, as in kobo).</summary>
public sealed record ConfigOption(string Name, PyValue Value, SourcePos Pos);

/// <summary>A warning found while reading or importing a config: code, message and position.</summary>
public sealed record ConfigDiagnostic(string Code, string Message, SourcePos? Pos)
{
    public override string ToString()
        => (Pos is { } p ? p.Line > 0 ? $"{p.File}({p.Line},{p.Column}): " : $"{p.File}: " : "") + $"warning {Code}: {Message}";
}

/// <summary>A parsed config: its options in first-assignment order, and the warnings the reader gave.</summary>
public sealed class PungiConfigFile
{
    public PungiConfigFile(string path, IReadOnlyList<ConfigOption> options, IReadOnlyList<ConfigDiagnostic> warnings)
    {
        Path = path;
        Options = options;
        Warnings = warnings;
    }

    public string Path { get; }
    public IReadOnlyList<ConfigOption> Options { get; }
    public IReadOnlyList<ConfigDiagnostic> Warnings { get; }

    public ConfigOption? this[string name] => Options.FirstOrDefault(o => o.Name == name);
}
