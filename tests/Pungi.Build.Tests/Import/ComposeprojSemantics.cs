using System.Xml.Linq;

namespace Pungi.Build.Tests.Import;

/// <summary>
/// What a composeproj means to MSBuild, read from its XML without evaluating it: properties by name (the last
/// definition wins, an empty value equals an absent one) and items as a multiset of (type, one Include element,
/// metadata) — an Include of "a;b" is two items with the same metadata, as MSBuild splits it. %XX escapes are undone.
/// </summary>
internal sealed record ComposeprojSemantics(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> Items)
{
    public static ComposeprojSemantics Parse(string xml)
    {
        var doc = XDocument.Parse(xml);
        var props = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in doc.Root!.Elements("PropertyGroup").Elements())
        {
            var v = Unescape(p.Value.Trim());
            if (v.Length == 0) props.Remove(p.Name.LocalName);
            else props[p.Name.LocalName] = v;
        }
        var items = new List<string>();
        foreach (var i in doc.Root.Elements("ItemGroup").Elements())
        {
            var meta = i.Attributes().Where(a => a.Name.LocalName != "Include")
                .Select(a => $"{a.Name.LocalName}={Unescape(a.Value)}")
                .Where(s => !s.EndsWith('='))
                .OrderBy(s => s, StringComparer.Ordinal);
            var include = i.Attribute("Include")?.Value ?? "";
            foreach (var element in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                items.Add($"{i.Name.LocalName} '{Unescape(element)}' {string.Join(" ", meta)}");
        }
        items.Sort(StringComparer.Ordinal);
        return new ComposeprojSemantics(props, items);
    }

    /// <summary>MSBuild's unescaping of %XX.</summary>
    public static string Unescape(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
