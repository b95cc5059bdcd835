using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pungi.Build.Compose;

/// <summary>
/// Upstream's <c>compose.fail_deliverable</c> record: a failable deliverable (an image phase's variant.arch) that
/// failed. Each phase writes its own list to <c>work/global/failed-deliverables/&lt;phase&gt;.json</c> on every run
/// (removing it when nothing failed), so a rerun that succeeds clears the old failure; any entry left makes the
/// final STATUS FINISHED_INCOMPLETE instead of FINISHED.
/// </summary>
public static class FailedDeliverables
{
    public sealed record Entry(string Phase, string Variant, string Arch, string Subvariant, int? TaskId, string Reason);

    public static string Directory(ComposeLayout layout) => Path.Combine(layout.WorkTopdir(null), "failed-deliverables");

    public static void Write(ComposeLayout layout, string phase, IReadOnlyList<Entry> entries)
    {
        var path = Path.Combine(Directory(layout), phase + ".json");
        if (entries.Count == 0)
        {
            if (File.Exists(path)) File.Delete(path);
            return;
        }
        var array = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
        {
            ["phase"] = e.Phase, ["variant"] = e.Variant, ["arch"] = e.Arch, ["subvariant"] = e.Subvariant,
            ["task_id"] = e.TaskId, ["reason"] = e.Reason,
        }).ToArray());
        AtomicFile.WriteIfChanged(path, array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static IReadOnlyList<Entry> ReadAll(ComposeLayout layout)
    {
        var dir = Directory(layout);
        if (!System.IO.Directory.Exists(dir)) return [];
        var list = new List<Entry>();
        foreach (var f in System.IO.Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            if (JsonNode.Parse(File.ReadAllText(f)) is not JsonArray a) continue;
            foreach (var n in a.OfType<JsonObject>())
                list.Add(new Entry((string?)n["phase"] ?? "", (string?)n["variant"] ?? "", (string?)n["arch"] ?? "", (string?)n["subvariant"] ?? "",
                    (int?)n["task_id"], (string?)n["reason"] ?? ""));
        }
        return list;
    }

    /// <summary>The STATUS a finishing compose gets: FINISHED_INCOMPLETE when a failable deliverable failed (spec §10.2).</summary>
    public static string FinalStatus(ComposeLayout layout, string requested)
        => requested == ComposeStatus.Finished && ReadAll(layout).Count > 0 ? ComposeStatus.FinishedIncomplete : requested;
}
