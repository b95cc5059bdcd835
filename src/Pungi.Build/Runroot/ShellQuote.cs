using System.Text.RegularExpressions;

namespace Pungi.Build.Runroot;

/// <summary>Python's <c>shlex.quote</c>, which upstream uses to build every runroot command line.</summary>
public static partial class ShellQuote
{
    [GeneratedRegex(@"[^\w@%+=:,./-]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();

    public static string Quote(string s)
    {
        if (s.Length == 0) return "''";
        // shlex treats only ASCII word characters as safe.
        if (!Unsafe().IsMatch(s) && s.All(c => c < 128)) return s;
        return "'" + s.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
    }

    public static string Join(IEnumerable<string> args) => string.Join(" ", args.Select(Quote));
}
