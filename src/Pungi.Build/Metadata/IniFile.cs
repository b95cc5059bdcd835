using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Metadata;

/// <summary>
/// The INI dialect of productmd's <c>SortedConfigParser</c> (Python <c>ConfigParser</c> with sorted sections and
/// keys, case-preserving keys). Writing: <c>[section]</c>, <c>key = value</c> lines, a blank line after every
/// section, sections and keys sorted by code point. Reading follows ConfigParser: <c>#</c>/<c>;</c> lines are
/// comments (so productmd's own <c>; WARNING</c> lines vanish on read), <c>=</c> or <c>:</c> delimits, indented
/// lines continue a value, duplicate sections or keys are errors.
/// </summary>
public sealed class IniFile
{
    public SortedDictionary<string, SortedDictionary<string, string>> Sections { get; } = new(StringComparer.Ordinal);

    public bool HasSection(string section) => Sections.ContainsKey(section);

    public SortedDictionary<string, string> Section(string section)
    {
        if (!Sections.TryGetValue(section, out var s))
            Sections[section] = s = new SortedDictionary<string, string>(StringComparer.Ordinal);
        return s;
    }

    public void Set(string section, string key, string value) => Section(section)[key] = value;

    public string? Get(string section, string key)
        => Sections.TryGetValue(section, out var s) && s.TryGetValue(key, out var v) ? v : null;

    public string Serialize()
    {
        var sb = new StringBuilder();
        foreach (var (name, keys) in Sections)
        {
            sb.Append('[').Append(name).Append("]\n");
            foreach (var (k, v) in keys)
                sb.Append(k).Append(" = ").Append(v.Replace("\n", "\n\t", StringComparison.Ordinal)).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static IniFile Parse(string text, string? file = null)
    {
        var ini = new IniFile();
        SortedDictionary<string, string>? current = null;
        string? lastKey = null;
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                lastKey = null;
                continue;
            }
            if (trimmed[0] is '#' or ';')
                continue;
            if (char.IsWhiteSpace(line[0]) && lastKey is not null && current is not null)
            {
                current[lastKey] += "\n" + trimmed;
                continue;
            }
            if (trimmed[0] == '[' && trimmed[^1] == ']')
            {
                var name = trimmed[1..^1];
                if (ini.Sections.ContainsKey(name))
                    throw new PungiException(ErrorCodes.TreeinfoMalformed, $"Section [{name}] appears twice.", file, lineNo);
                current = ini.Section(name);
                lastKey = null;
                continue;
            }
            if (current is null)
                throw new PungiException(ErrorCodes.TreeinfoMalformed, "A key comes before any [section] header.", file, lineNo);
            var eq = trimmed.IndexOfAny(['=', ':']);
            if (eq <= 0)
                throw new PungiException(ErrorCodes.TreeinfoMalformed, $"Line is neither 'key = value' nor '[section]': {trimmed}", file, lineNo);
            var key = trimmed[..eq].TrimEnd();
            if (current.ContainsKey(key))
                throw new PungiException(ErrorCodes.TreeinfoMalformed, $"Key '{key}' appears twice in a section.", file, lineNo);
            current[key] = trimmed[(eq + 1)..].Trim();
            lastKey = key;
        }
        return ini;
    }
}
