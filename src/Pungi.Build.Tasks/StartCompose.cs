using System.Text.Json;
using Pungi.Build.Compose;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// The start of a compose run (Pungi's <c>run_compose</c> preamble): creates the compose directory, writes
/// <c>COMPOSE_ID</c>, <c>STATUS</c>=STARTED, <c>work/global/composeinfo-base.json</c> and one definition file per
/// variant. The variant files are what the variant.arch phases list as Inputs, so editing one variant wakes only it;
/// each is rewritten only when its content changes.
/// </summary>
public sealed class StartCompose : ComposeInputTask
{
    [Microsoft.Build.Framework.Required] public string ComposeTopDir { get; set; } = "";

    protected override string PhaseName => "Init";

    protected override void ExecutePhase()
    {
        var compose = LoadCompose();
        var model = LoadVariants();
        var layout = new ComposeLayout(ComposeTopDir);
        Directory.CreateDirectory(layout.Topdir);
        HoldComposeLock(layout.Topdir);
        // Under the lock no other build writes here: temp files are what a killed build left behind.
        if (StaleTempFiles.Remove(layout.Topdir) is var stale and > 0)
            LogProgress($"Removed {stale} temporary file(s) left by an interrupted build");
        ComposeDirectory.PrepareExact(layout.Topdir, compose);
        ComposeStatus.Write(layout.Topdir, ComposeStatus.Started);
        Directory.CreateDirectory(Path.Combine(layout.LogsDir, "global"));

        var global = Path.Combine(layout.WorkDir, "global");
        ComposeInfoJson.Write(Path.Combine(global, "composeinfo-base.json"), ComposeInfoJson.Base(compose));
        if (VariantsFiles.Length == 1)
            AtomicFile.WriteIfChanged(Path.Combine(global, "variants.xml"), File.ReadAllBytes(VariantsFiles[0].GetMetadata("FullPath")));

        var dir = Path.Combine(global, "variants");
        foreach (var v in model.All)
            AtomicFile.WriteIfChanged(Path.Combine(dir, v.Uid + ".json"), VariantDefinitionJson(v, compose));
        LogProgress($"Compose {compose.Id} STARTED in {layout.Topdir}");
    }

    /// <summary>
    /// Two builds of one compose at once would corrupt it: the first holds an exclusive lock on <c>.compose.lock</c> in
    /// the compose directory until its build ends (MSBuild disposes the registered object then); the second fails
    /// before touching anything. The same guard turns Ctrl+C into STATUS=TERMINATED (<see cref="ComposeRunGuard"/>).
    /// </summary>
    private void HoldComposeLock(string topdir)
    {
        var path = Path.Combine(topdir, ".compose.lock");
        var engine = (Microsoft.Build.Framework.IBuildEngine4)BuildEngine;
        var key = "Pungi.Build.ComposeLock:" + path;
        if (engine.GetRegisteredTaskObject(key, Microsoft.Build.Framework.RegisteredTaskObjectLifetime.Build) is not null) return;
        ComposeRunGuard guard;
        try
        {
            guard = ComposeRunGuard.Acquire(topdir);
        }
        catch (IOException)
        {
            throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.ComposeLocked,
                $"Another build is composing {topdir} right now; wait for it to finish (or build into another ComposeDir).");
        }
        engine.RegisterTaskObject(key, guard, Microsoft.Build.Framework.RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
    }

    /// <summary>Everything a variant's trees depend on: its definition and the release it belongs to.</summary>
    internal static string VariantDefinitionJson(Variant v, ComposeInfo compose)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("uid", v.Uid);
            w.WriteString("id", v.Id);
            w.WriteString("name", v.Name);
            w.WriteString("type", v.Type.ToName());
            w.WriteString("parent", v.Parent?.Uid);
            // No "arches" of its own: whether an arch is in the variant decides whether that instance exists, not what
            // another arch's tree holds, so adding an arch must not redo the variant's other trees.
            w.WriteStartArray("groups");
            foreach (var g in v.Groups)
            {
                w.WriteStartObject();
                w.WriteString("name", g.Name);
                w.WriteBoolean("glob", g.Glob);
                if (g.Default is { } d) w.WriteBoolean("default", d);
                if (g.UserVisible is { } u) w.WriteBoolean("uservisible", u);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("environments");
            foreach (var e in v.Environments) w.WriteStringValue(e.Name);
            w.WriteEndArray();
            w.WriteStartArray("children");
            foreach (var c in v.Children)
            {
                // A child's arches do shape the parent's trees (.treeinfo lists the addons present on that arch).
                w.WriteStartObject();
                w.WriteString("uid", c.Uid);
                w.WriteStartArray("arches");
                foreach (var a in c.Arches) w.WriteStringValue(a);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("buildinstallpackages");
            foreach (var p in v.BuildInstallPackages) w.WriteStringValue(p);
            w.WriteEndArray();
            w.WriteBoolean("is_empty", v.IsEmpty);
            // The release enters every tree's metadata (.treeinfo, .discinfo, media.repo).
            w.WriteStartObject("release");
            w.WriteString("name", compose.Release.Name);
            w.WriteString("short", compose.Release.Short);
            w.WriteString("version", compose.Release.Version);
            w.WriteString("type", compose.Release.Type);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
