using System.Text.Json.Nodes;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// ExtraFiles as a phase over the sample product (spec §2.5, §6.5): the file lands in the matching tree only, both
/// extra_files.json forms list it with every default media_checksums digest, a no-op rebuild rewrites nothing and a
/// changed extra file reruns only its own variant.arch's image.
/// </summary>
[Collection("spawned builds")]
public sealed class ExtraFilesPhaseTests
{
    [SkippableFact]
    public void ExtraFile_LandsInServerTree_AndOnlyItsImageRebuildsWhenItChanges()
    {
        // One sample build serves the OSTree phase too (spawned builds are costly): an Ostree item for Server.
        Interop.RequireTool("ostree");
        using var p = SampleCompose.Create();
        p.Write("GPL", "hello\n");
        p.Write("sample-server.json", """{"ref": "sample/1/${basearch}/server", "packages": ["sample-bash"]}""");
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace(
            "<FilterPackage Include=\"sample-microcode\"",
            "<ExtraFile Include=\"GPL\" Variant=\"^Server$\" Arch=\"*\" />\n"
            + "    <Ostree Include=\"sample-server.json\" Variant=\"^Server$\" OstreeRepo=\"ostree-repo\" Version=\"!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN\" />\n"
            + "    <FilterPackage Include=\"sample-microcode\"", StringComparison.Ordinal));
        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        var compose = Path.Combine(SampleCompose.TopDir(p), "compose");

        // '^Server$' re-matches Server only (not Server-optional, whose tree is its own); '*' never matches src.
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(compose, "Server/x86_64/os/GPL")));
        Assert.False(File.Exists(Path.Combine(compose, "Workstation/x86_64/os/GPL")));
        Assert.False(File.Exists(Path.Combine(compose, "Server/source/tree/GPL")));
        Assert.False(File.Exists(Path.Combine(compose, "Server-optional/x86_64/os/GPL")));

        // Per tree: {"data": [...], "header": {"version": "1.0"}}, path relative to the tree; digests of "hello\n".
        var tree = JsonNode.Parse(File.ReadAllText(Path.Combine(compose, "Server/x86_64/os/extra_files.json")))!;
        Assert.Equal("1.0", (string?)tree["header"]!["version"]);
        var entry = tree["data"]!.AsArray().Single()!;
        Assert.Equal("GPL", (string?)entry["file"]);
        Assert.Equal(6, (int)entry["size"]!);
        Assert.Equal("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", (string?)entry["checksums"]!["sha256"]);
        Assert.Equal("b1946ac92492d2347c6235b4d2611184", (string?)entry["checksums"]!["md5"]);

        // Global: productmd.extra_files 1.2, variant -> arch -> entries, path relative to compose/.
        var global = JsonNode.Parse(File.ReadAllText(Path.Combine(compose, "metadata/extra_files.json")))!;
        Assert.Equal("productmd.extra_files", (string?)global["header"]!["type"]);
        Assert.Equal("SAMPLE-1.0-20261127.t.0", (string?)global["payload"]!["compose"]!["id"]);
        var files = global["payload"]!["extra_files"]!.AsObject();
        Assert.Equal(["Server"], files.Select(kv => kv.Key));
        Assert.Equal("Server/x86_64/os/GPL", (string?)files["Server"]!["x86_64"]![0]!["file"]);

        // The ISO carries the file (the extra files are part of the tree Createiso images).
        var iso = Path.Combine(compose, "Server/x86_64/iso/SAMPLE-1.0-20261127.t.0-Server-x86_64-dvd1.iso");
        using (var reader = Pungi.Build.Iso.IsoReader.Open(iso))
            Assert.Contains(reader.Walk(), e => e.Path.TrimStart('/') == "GPL");

        // OSTree (spec §2.7): unit 1 is Server.x86_64; version = image_version.image_release = 1.0.20261127.t.0
        // (§1.2, no label); the commit id recorded in logs/<arch>/<V>/ostree-<N>/commitid.log as rpm-ostree writes it.
        var repo = Path.Combine(p.Dir, "ostree-repo");
        var commit = File.ReadAllText(Path.Combine(SampleCompose.TopDir(p), "logs/x86_64/Server/ostree-1/commitid.log"));
        Assert.Equal(commit, Interop.Run("ostree", "rev-parse", "--repo=" + repo, "sample/1/x86_64/server").Trim());
        Assert.Contains("Version: 1.0.20261127.t.0", Interop.Run("ostree", "log", "--repo=" + repo, "sample/1/x86_64/server"));
        Assert.Contains("/usr/bin/sample-bash", Interop.Run("ostree", "ls", "-R", "--repo=" + repo, "sample/1/x86_64/server"));
        Assert.Equal([Path.Combine("x86_64", "Server", "ostree-1", "commitid.log")],
            Directory.EnumerateFiles(Path.Combine(SampleCompose.TopDir(p), "logs"), "commitid.log", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(SampleCompose.TopDir(p), "logs"), f)));

        var noop = p.Build();
        Assert.True(noop.ExitCode == 0, noop.Describe());
        Assert.Equal([], noop.Ran("_PungiCreateisoVariantArch", "Createrepo", "Treeinfo", "OSTree").Select(t => t.Instance));

        p.Write("GPL", "changed\n");
        var changed = p.Build();
        Assert.True(changed.ExitCode == 0, changed.Describe());
        Assert.Equal("changed\n", File.ReadAllText(Path.Combine(compose, "Server/x86_64/os/GPL")));
        Assert.Equal(["_PungiCreateisoVariantArch:Server.x86_64"], changed.Ran("_PungiCreateisoVariantArch").Select(t => t.Instance));
        Assert.Empty(changed.Ran("Createrepo", "Treeinfo", "LinkPackages"));
        Assert.Contains("\"size\": 8", File.ReadAllText(Path.Combine(compose, "metadata/extra_files.json")));
    }
}
