using System.Diagnostics;
using System.Text;
using Pungi.Build.Comps;
using Pungi.Build.Compression;
using Pungi.Build.Diagnostics;
using Pungi.Build.Koji;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;
using Pungi.Build.Variants;
using Xunit.Abstractions;

namespace Pungi.Build.Tests.Reliability;

/// <summary>
/// Issue #13, parsers under fuzzing: seeded mutations of real documents (fixed seeds, fixed counts, a time bound per
/// parser) end either in a result or in one <see cref="PungiException"/> with a code — never another exception, a
/// hang or an allocation out of proportion to the input. RPM headers (Rpm/RpmCorruptionTests, 10,000 inputs) and the
/// Pungi config importer (Import/HostileInputTests, 400 inputs) have their own fuzzers; these cover the rest.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>No single input may make a parser allocate more than this (inputs are a few KiB).</summary>
    private const long MaxAllocationPerInput = 64L << 20;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(InterruptedComposeTests.Slow ? 60 : 3);

    private static int Count(int normal) => InterruptedComposeTests.Slow ? normal * 10 : normal;

    /// <summary>Tokens that stress XML readers: entities, DTDs (billion laughs), CDATA, bad characters, deep nesting.</summary>
    private static readonly string[] Tokens =
    [
        "<", ">", "</", "/>", "&", "&amp;", "&#0;", "&#xFFFF;", "&lol;", "\"", "'", "=", "<![CDATA[", "]]>", "<!--", "-->",
        "<?xml version=\"1.0\"?>", "<!DOCTYPE x [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>",
        "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">", "\0", "\uFFFE", "\uD800", "\u0085", "-1", "99999999999999999999", "1e999",
        "NaN", "", " ", "\n", "<x>", "</x>", string.Concat(Enumerable.Repeat("<a>", 500)),
    ];

    private const string Significant = "<>/&;\"'=!-?x0 \n";

    /// <summary>Lone surrogates become U+FFFD bytes on disk, as any tool writing a broken file would leave them.</summary>
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private static void WriteInput(string path, string text) => File.WriteAllBytes(path, Lenient.GetBytes(text));

    internal static string Mutate(string text, Random rng)
    {
        var sb = new StringBuilder(text);
        int mutations = rng.Next(1, 5);
        for (int m = 0; m < mutations && sb.Length > 0; m++)
        {
            int at = rng.Next(sb.Length);
            switch (rng.Next(6))
            {
                case 0: sb[at] = Significant[rng.Next(Significant.Length)]; break;
                case 1: sb.Remove(at, Math.Min(rng.Next(1, 40), sb.Length - at)); break;
                case 2: { int len = Math.Min(rng.Next(1, 200), sb.Length - at); sb.Insert(rng.Next(sb.Length), sb.ToString(at, len)); break; }
                case 3: sb.Insert(at, Tokens[rng.Next(Tokens.Length)]); break;
                case 4: sb.Length = at; break;
                default: sb[at] = (char)rng.Next(0, 0x80); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Runs <paramref name="count"/> mutated inputs through <paramref name="parse"/>; returns (ok, coded) counts.</summary>
    private (int Ok, int Coded) Fuzz(string parser, IReadOnlyList<string> seeds, int seed, int count, Action<string> parse)
    {
        var rng = new Random(seed);
        var watch = Stopwatch.StartNew();
        int ok = 0, coded = 0;
        int n = 0;
        // The sequence is fixed by the seed; the time budget only cuts it short on a loaded machine (CI has 2 cores).
        for (; n < count && watch.Elapsed < Budget; n++)
        {
            var one = Stopwatch.StartNew();
            var input = Mutate(seeds[rng.Next(seeds.Count)], rng);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                parse(input);
                ok++;
            }
            catch (PungiException e)
            {
                Assert.Matches("^PUNGI[1-7][0-9]{3}$", e.Code);
                coded++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{parser} input #{n} (seed {seed}) threw {e.GetType().Name}: {e.Message}\n--- input ---\n{input}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < MaxAllocationPerInput, $"{parser} input #{n} (seed {seed}) allocated {allocated >> 20} MiB");
            // A hang or a super-linear path shows as one input taking a large share of the whole budget.
            Assert.True(one.Elapsed < TimeSpan.FromSeconds(2), $"{parser} input #{n} (seed {seed}) took {one.Elapsed}");
        }
        output.WriteLine($"{parser}: {n} of {count} inputs fuzzed (seed {seed}), {ok} parsed, {coded} coded errors, {watch.Elapsed.TotalSeconds:0.00}s");
        Assert.True(n >= Math.Min(count, 50), $"{parser}: only {n} inputs in {Budget}");
        Assert.True(coded > 0, $"{parser}: no input was refused; the mutations do not reach the parser");
        return (ok, coded);
    }

    [Fact]
    public void Comps_FuzzedDocuments_GiveCodedErrorsOnly()
    {
        var seeds = new[] { Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml"), Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "comps.xml") }
            .Select(File.ReadAllText).ToList();
        var (ok, _) = Fuzz("comps", seeds, 1301, Count(600), text =>
        {
            var doc = CompsDocument.Parse(text, "fuzz-comps.xml");
            CompsInit.BuildArch(doc, "x86_64");
        });
        Assert.True(ok > 0, "no mutated comps parsed at all");
    }

    [Fact]
    public void VariantsXml_FuzzedDocuments_GiveCodedErrorsOnly()
    {
        var seeds = new[] { Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "variants.xml") }.Select(File.ReadAllText).ToList();
        var dir = Directory.CreateTempSubdirectory("pungi-fuzz-variants-").FullName;
        try
        {
            var path = Path.Combine(dir, "variants.xml");
            Fuzz("variants.xml", seeds, 1302, Count(600), text =>
            {
                WriteInput(path, text);
                var model = VariantsXml.Load(path);
                _ = model.All.Count;
            });
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RepomdAndPrimary_FuzzedDocuments_GiveCodedErrorsOnly()
    {
        // A real repository's metadata, uncompressed so the mutations reach the XML readers, checksums not verified
        // (a lookaside repository is read from outside: its contents are what is hostile, not only its checksums).
        var dir = Directory.CreateTempSubdirectory("pungi-fuzz-repodata-").FullName;
        try
        {
            var packages = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order(StringComparer.Ordinal).Take(6)
                .Select(f => RpmHeaderReader.Read(f)).Select((p, i) => p.WithLocation($"Packages/p{i}.rpm")).ToList();
            RepodataWriter.Write(dir, packages, new RepodataOptions { Timestamp = 1, Compression = CompressionKind.None });
            var repodata = Path.Combine(dir, "repodata");
            var repomdPath = Path.Combine(repodata, "repomd.xml");
            var repomd = File.ReadAllText(repomdPath);
            var primaryPath = Directory.EnumerateFiles(repodata, "*primary.xml").Single();
            var primary = File.ReadAllText(primaryPath);
            var options = new RepodataReadOptions { VerifyChecksums = false };
            Fuzz("repomd.xml", [repomd], 1303, Count(300), text =>
            {
                WriteInput(repomdPath, text);
                foreach (var _ in RepodataReader.Read(dir, options)) { }
            });
            File.WriteAllText(repomdPath, repomd);
            Fuzz("primary.xml", [primary], 1304, Count(300), text =>
            {
                WriteInput(primaryPath, text);
                foreach (var p in RepodataReader.Read(dir, options)) _ = p.Requires.Count;
            });
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void XmlRpcResponses_FuzzedDocuments_GiveCodedErrorsOnly()
    {
        var seeds = Directory.EnumerateFiles(Path.Combine(TestPaths.Fixtures, "koji-transcripts"), "*.response.xml")
            .Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(seeds);
        Fuzz("XML-RPC response", seeds, 1305, Count(1500), text => XmlRpcReader.ReadResponse(text));
    }
}
