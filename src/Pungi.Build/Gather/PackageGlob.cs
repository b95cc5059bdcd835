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
    private static readonly ConcurrentDictionary<string, Matcher?> Cache = new(StringComparer.Ordinal);

    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    public static bool IsMatch(string text, string pattern)
    {
        var m = Cache.GetOrAdd(pattern, static p => IsGlob(p) ? new Matcher(p) : null);
        return m is null ? string.Equals(text, pattern, StringComparison.Ordinal) : m.IsMatch(text);
    }

    /// <summary><see cref="IsMatch"/> for one glob, looked up once: for matching many names against it.</summary>
    internal static Func<string, bool> For(string glob)
    {
        var m = Cache.GetOrAdd(glob, static p => IsGlob(p) ? new Matcher(p) : null);
        return m is null ? text => string.Equals(text, glob, StringComparison.Ordinal) : m.IsMatch;
    }

    /// <summary>
    /// A glob's regex, and for a glob whose only wildcard is <c>*</c> (<c>sy1*</c>, <c>*-devel</c>, the usual ones) the
    /// same answer by plain string search: the literal parts between the stars as a prefix, a suffix and, in order,
    /// the rest. The regex matched a name in about a microsecond, and Pkgset's depsolve matches every name of the set
    /// against each glob line on every rerun.
    /// </summary>
    private sealed class Matcher
    {
        // Built on first need only: most globs never need it, and the first regex of a process costs milliseconds.
        private readonly Lazy<Regex> _regex;
        private readonly string[]? _parts;

        public Matcher(string glob)
        {
            _regex = new Lazy<Regex>(() => new Regex(ToRegex(glob), RegexOptions.CultureInvariant));
            if (glob.AsSpan().IndexOfAny("?[") < 0) _parts = glob.Split('*');
        }

        public bool IsMatch(string text)
        {
            // The regex's '.' takes no newline: such a name keeps the regex's answer.
            if (_parts is null || text.Contains('\n')) return _regex.Value.IsMatch(text);
            var rest = text.AsSpan();
            string first = _parts[0], last = _parts[^1];
            if (rest.Length < first.Length + last.Length || !rest.StartsWith(first, StringComparison.Ordinal)
                || !rest.EndsWith(last, StringComparison.Ordinal)) return false;
            rest = rest[first.Length..^last.Length];
            for (int i = 1; i < _parts.Length - 1; i++)
            {
                int at = rest.IndexOf(_parts[i], StringComparison.Ordinal);
                if (at < 0) return false;
                rest = rest[(at + _parts[i].Length)..];
            }
            return true;
        }
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
