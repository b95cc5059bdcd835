using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Pungi.Build.Comps;

/// <summary>Python's <c>fnmatch.fnmatch</c> on POSIX (case-sensitive): <c>*</c>, <c>?</c>, <c>[seq]</c>,
/// <c>[!seq]</c>; used by <c>--keep-empty-group</c> and variants.xml <c>glob="true"</c> groups.</summary>
public static class FnMatch
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static bool IsMatch(string name, string pattern)
        => Cache.GetOrAdd(pattern, p => new Regex(Translate(p), RegexOptions.CultureInvariant | RegexOptions.Singleline)).IsMatch(name);

    // Follows fnmatch.translate: an unclosed '[' is a literal.
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder("^(?:");
        int i = 0, n = pattern.Length;
        while (i < n)
        {
            char c = pattern[i++];
            if (c == '*')
                sb.Append(".*");
            else if (c == '?')
                sb.Append('.');
            else if (c == '[')
            {
                int j = i;
                if (j < n && pattern[j] == '!') j++;
                if (j < n && pattern[j] == ']') j++;
                while (j < n && pattern[j] != ']') j++;
                if (j >= n)
                {
                    sb.Append("\\[");
                    continue;
                }
                var stuff = pattern[i..j].Replace("\\", "\\\\");
                i = j + 1;
                if (stuff.StartsWith('!'))
                    stuff = "^" + stuff[1..];
                else if (stuff.StartsWith('^'))
                    stuff = "\\" + stuff;
                sb.Append('[').Append(stuff).Append(']');
            }
            else
                sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append(")\\z").ToString();
    }
}
