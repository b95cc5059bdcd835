namespace Pungi.Build.Rpm;

/// <summary>
/// Version comparison exactly as rpm's <c>rpmvercmp</c> (rpm 4.15+): segments of digits or letters, separators
/// skipped, <c>~</c> sorts before anything (even the end), <c>^</c> sorts after the end but before anything else.
/// </summary>
public static class RpmVersion
{
    /// <summary>Compares two version (or release) strings; returns -1, 0 or 1.</summary>
    public static int Compare(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !IsAlnum(a[i]) && a[i] != '~' && a[i] != '^') i++;
            while (j < b.Length && !IsAlnum(b[j]) && b[j] != '~' && b[j] != '^') j++;

            // Tilde sorts before everything else, the end included.
            bool ta = i < a.Length && a[i] == '~', tb = j < b.Length && b[j] == '~';
            if (ta || tb)
            {
                if (!ta) return 1;
                if (!tb) return -1;
                i++; j++;
                continue;
            }

            // Caret sorts after the end but before any other segment.
            bool ca = i < a.Length && a[i] == '^', cb = j < b.Length && b[j] == '^';
            if (ca || cb)
            {
                if (i >= a.Length) return -1;
                if (j >= b.Length) return 1;
                if (!ca) return 1;
                if (!cb) return -1;
                i++; j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length) break;

            int si = i, sj = j;
            bool isNum = IsDigit(a[i]);
            if (isNum)
            {
                while (i < a.Length && IsDigit(a[i])) i++;
                while (j < b.Length && IsDigit(b[j])) j++;
            }
            else
            {
                while (i < a.Length && IsAlpha(a[i])) i++;
                while (j < b.Length && IsAlpha(b[j])) j++;
            }

            // rpm: a segment of the other type than the first string's is "older" (numeric beats alpha).
            if (si == i) return -1;
            if (sj == j) return isNum ? 1 : -1;

            var segA = a.AsSpan(si, i - si);
            var segB = b.AsSpan(sj, j - sj);
            if (isNum)
            {
                segA = segA.TrimStart('0');
                segB = segB.TrimStart('0');
                if (segA.Length != segB.Length) return segA.Length > segB.Length ? 1 : -1;
            }
            int rc = segA.SequenceCompareTo(segB);
            if (rc != 0) return rc < 0 ? -1 : 1;
        }
        bool endA = i >= a.Length, endB = j >= b.Length;
        if (endA && endB) return 0;
        return endA ? -1 : 1;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsAlpha(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
    private static bool IsAlnum(char c) => IsDigit(c) || IsAlpha(c);
}
