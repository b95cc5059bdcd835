using System.Text.Json;
using Pungi.Build.Rpm;

namespace Pungi.Build.Cli;

/// <summary>The three ways <c>pungi-build gather</c> prints a result: pungi-gather's lines, JSON, and <c>--why</c>.</summary>
internal static class GatherOutput
{
    /// <summary>
    /// The RPM file name built from the package, not from the repository's location: <c>name-version-release.arch.rpm</c>,
    /// epoch left out, <c>src</c> for source packages and <c>nosrc</c> where the location (or the header) says nosrc.
    /// </summary>
    public static string FileName(RpmPackage p)
    {
        if (!p.IsSource) return $"{p.Name}-{p.Version}-{p.Release}.{p.Arch}.rpm";
        bool nosrc = p.Arch == "nosrc" || p.Location.EndsWith(".nosrc.rpm", StringComparison.Ordinal);
        return $"{p.Name}-{p.Version}-{p.Release}.{(nosrc ? "nosrc" : "src")}.rpm";
    }

    /// <summary>The NEVRA a package is keyed by in <c>reasons</c> (epoch shown when not 0, arch as in the file name).</summary>
    public static string Nevra(RpmPackage p)
    {
        string epoch = string.IsNullOrEmpty(p.Epoch) || p.Epoch == "0" ? "" : p.Epoch + ":";
        var f = FileName(p);
        string arch = f[(f.LastIndexOf('.', f.Length - 5) + 1)..^4];
        return $"{p.Name}-{epoch}{p.Version}-{p.Release}.{arch}";
    }

    /// <summary>
    /// Non-lookaside packages, one per file name with flags merged, in the engine's order — as <c>print_rpms</c>
    /// de-duplicates by URL and Pungi then drops what is flagged lookaside.
    /// </summary>
    public static List<(string File, RpmPackage Package, IReadOnlyList<string> Flags)> Listed(IEnumerable<Selected> selected)
    {
        var result = new List<(string File, RpmPackage Package, IReadOnlyList<string> Flags)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in selected.Where(s => !s.IsLookaside))
        {
            string f = FileName(s.Package);
            if (index.TryGetValue(f, out int i))
                result[i] = result[i] with { Flags = result[i].Flags.Union(s.Flags).Order(StringComparer.Ordinal).ToList() };
            else
            {
                index[f] = result.Count;
                result.Add((f, s.Package, s.Flags));
            }
        }
        return result;
    }

    /// <summary><c>RPM(flags): file</c>, then <c>DEBUGINFO(…)</c>, then <c>SRPM(…)</c>, as <c>pungi-gather</c> prints.</summary>
    public static void WriteText(TextWriter w, GatherOutcome o)
    {
        foreach (var (kind, list) in new[] { ("RPM", o.Rpm), ("DEBUGINFO", o.Debuginfo), ("SRPM", o.Srpm) })
            foreach (var (file, _, flags) in Listed(list))
                w.WriteLine($"{kind}({string.Join(",", flags)}): {file}");
    }

    /// <summary>One object: <c>rpm</c>, <c>srpm</c>, <c>debuginfo</c> (always present) and <c>reasons</c> by NEVRA.</summary>
    public static void WriteJson(TextWriter w, GatherOutcome o)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Names and reasons are printed as they are (quotes, arrows), not \u-escaped; the output is never embedded in HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            j.WriteStartObject();
            var reasons = new List<(string Nevra, string Reason)>();
            foreach (var (key, list) in new[] { ("rpm", o.Rpm), ("srpm", o.Srpm), ("debuginfo", o.Debuginfo) })
            {
                j.WriteStartArray(key);
                foreach (var (file, pkg, _) in Listed(list))
                {
                    j.WriteStringValue(file);
                    reasons.Add((Nevra(pkg), o.ReasonOf(pkg)));
                }
                j.WriteEndArray();
            }
            j.WriteStartObject("reasons");
            foreach (var (nevra, reason) in reasons.DistinctBy(r => r.Nevra)) j.WriteString(nevra, reason);
            j.WriteEndObject();
            j.WriteEndObject();
        }
        w.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>
    /// For each selected package matching NAME (a name, NEVRA, <c>name.arch</c> or file name): the chain from the input
    /// that started it to the package, each step with its reason; or that NAME is not in the result.
    /// </summary>
    public static void WriteWhy(TextWriter w, string name, GatherOutcome o)
    {
        var matches = o.Rpm.Select(s => (Kind: "rpm", s)).Concat(o.Debuginfo.Select(s => (Kind: "debuginfo", s)))
            .Concat(o.Srpm.Select(s => (Kind: "srpm", s)))
            .Where(m => Matches(m.s.Package, name))
            .DistinctBy(m => FileName(m.s.Package) + (m.s.IsLookaside ? "/lookaside" : ""))
            .ToList();
        if (matches.Count == 0)
        {
            var there = o.Available.Where(p => Matches(p, name)).Select(Nevra).Distinct().Take(10).ToList();
            w.WriteLine(there.Count == 0
                ? $"{name} is not in the result (no package in the repositories matches it)."
                : $"{name} is not in the result (the repositories have {string.Join(", ", there)}, but nothing pulled it in).");
            return;
        }
        bool first = true;
        foreach (var (kind, s) in matches)
        {
            if (!first) w.WriteLine();
            first = false;
            var chain = o.Chain(s.Package);
            string note = s.IsLookaside ? ", from a lookaside repository: left out of the output" : "";
            w.WriteLine($"{Nevra(s.Package)} is in the result ({kind}{note}):");
            if (chain.Count == 0)
            {
                w.WriteLine($"  {o.ReasonOf(s.Package)}");
                continue;
            }
            var root = chain[0];
            w.WriteLine("  " + string.Join(" → ", new[] { o.Origin(root.Package) }.Concat(chain.Select(c => Nevra(c.Package)))));
            foreach (var (pkg, reason) in chain)
                w.WriteLine($"  {Nevra(pkg)}: {reason}");
        }
    }

    private static bool Matches(RpmPackage p, string name)
        => p.Name == name || Nevra(p) == name || $"{p.Name}.{p.Arch}" == name || FileName(p) == name || p.Nevra == name;
}
