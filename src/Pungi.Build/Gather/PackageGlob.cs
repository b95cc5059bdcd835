using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Pungi.Build.Gather;

/// <summary>
/// Shell globs as fnmatch(3) and Python's fnmatch read them (case-sensitive): <c>*</c>, <c>?</c>, <c>[...]</c>,
/// <c>[!...]</c>. hawkey's <c>name__glob</c> filters and python-multilib's list matching both use these.
/// </summary>
public static class PackageGlob
{
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    public static bool IsMatch(string text, string pattern)
    {
        var re = Cache.GetOrAdd(pattern, static p => IsGlob(p) ? new Regex(ToRegex(p), RegexOptions.CultureInvariant) : null);
        return re is null ? string.Equals(text, pattern, StringComparison.Ordinal) : re.IsMatch(text);
    }

    public static bool MatchesAny(string text, IEnumerable<string> patterns)
    {
        foreach (var p in patterns)
            if (IsMatch(text, p)) return true;
        return false;
    }

    /// <summary>Translates a glob to an anchored regex, as Python's <c>fnmatch.translate</c>.</summary>
    public static string ToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    int j = i + 1;
                    if (j < glob.Length && glob[j] == '!') j++;
                    if (j < glob.Length && glob[j] == ']') j++;
                    while (j < glob.Length && glob[j] != ']') j++;
                    if (j >= glob.Length) { sb.Append("\\["); break; }
                    var body = glob.Substring(i + 1, j - i - 1).Replace("\\", "\\\\");
                    if (body.StartsWith('!')) body = "^" + body[1..];
                    else if (body.StartsWith('^')) body = "\\" + body;
                    sb.Append('[').Append(body).Append(']');
                    i = j;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.Append("\\z").ToString();
    }
}
