using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pungi.Build.Tests.Report;

/// <summary>Throw-away compose trees with hand-written productmd metadata, shaped as upstream Pungi writes it.</summary>
internal sealed class ComposeTrees : IDisposable
{
    public ComposeTrees()
    {
        Root = Path.Combine(Path.GetTempPath(), "pungi-tests", "report-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>
    /// A compose top directory with <c>compose/metadata/rpms.json</c> in productmd's layout (variant → arch →
    /// srpm NEVRA → rpm NEVRA → {path, sigkey, category}); <paramref name="packages"/> are "Variant.arch|nevra|category".
    /// Binary and debug packages are filed under a source NEVRA made from their name (enough for a diff).
    /// </summary>
    public string Compose(string name, IEnumerable<string> packages, string status = "FINISHED", string headerVersion = "1.2")
    {
        var top = Path.Combine(Root, name);
        var rpms = new JsonObject();
        foreach (var line in packages)
        {
            var parts = line.Split('|');
            var (va, nevra, category) = (parts[0], parts[1], parts.Length > 2 ? parts[2] : "binary");
            var dot = va.LastIndexOf('.');
            var (variant, arch) = (va[..dot], va[(dot + 1)..]);
            var srpm = category == "source" ? nevra : nevra[..nevra.LastIndexOf('.')] + ".src";
            var v = (JsonObject)(rpms[variant] ??= new JsonObject());
            var a = (JsonObject)(v[arch] ??= new JsonObject());
            var s = (JsonObject)(a[srpm] ??= new JsonObject());
            s[nevra] = new JsonObject { ["category"] = category, ["path"] = $"{variant}/{arch}/os/Packages/{nevra}.rpm", ["sigkey"] = null };
        }
        var doc = new JsonObject
        {
            ["header"] = new JsonObject { ["type"] = "productmd.rpms", ["version"] = headerVersion },
            ["payload"] = new JsonObject
            {
                ["compose"] = new JsonObject { ["date"] = "20261127", ["id"] = name, ["respin"] = 0, ["type"] = "test" },
                ["rpms"] = rpms,
            },
        };
        var metadata = Path.Combine(top, "compose", "metadata");
        Directory.CreateDirectory(metadata);
        using (var stream = File.Create(Path.Combine(metadata, "rpms.json")))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            doc.WriteTo(writer);
        File.WriteAllText(Path.Combine(top, "STATUS"), status + "\n");
        File.WriteAllText(Path.Combine(top, "COMPOSE_ID"), name + "\n");
        return top;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
