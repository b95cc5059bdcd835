using System.Globalization;
using System.Text.Json;
using Pungi.Build.Compose;

namespace Pungi.Build.Report;

/// <summary>A warning or error a phase logged, with its PUNGI code.</summary>
public sealed record PhaseDiagnostic(string Severity, string Code, string Message, string? File);

/// <summary>
/// One phase task's record from <c>logs/global/phases/*.json</c> (written by every phase task, DESIGN.md §8).
/// <see cref="ThisRun"/> is false for a record left by an earlier run: that phase was up to date this time.
/// </summary>
public sealed record PhaseRecord(string Phase, string? Variant, string? Arch, DateTimeOffset Start, DateTimeOffset End, bool Succeeded,
    int Warnings, IReadOnlyList<string> Messages, IReadOnlyList<PhaseDiagnostic> Diagnostics)
{
    public bool ThisRun { get; init; } = true;
    public bool Critical { get; set; }
    public string Instance => Variant is null ? Phase : $"{Phase} {Variant}.{Arch}";
    public string Where => Variant is null ? "-" : $"{Variant}.{Arch}";
    public double Seconds => (End - Start).TotalSeconds;
}

/// <summary>Reads the phase records and writes <c>logs/global/phase-times.json</c> for other tools.</summary>
public static class PhaseTimes
{
    public static string RecordsDir(string topdir) => Path.Combine(topdir, "logs", "global", "phases");
    public static string OutputPath(string topdir) => Path.Combine(topdir, "logs", "global", "phase-times.json");

    /// <summary>
    /// Every record, oldest start first. Records that started before <paramref name="runStarted"/> are from an earlier
    /// run (skipped this time). A record that cannot be read is left out: records are a convenience, never a failure.
    /// </summary>
    public static List<PhaseRecord> Read(string topdir, DateTimeOffset? runStarted = null)
    {
        var list = new List<PhaseRecord>();
        var dir = RecordsDir(topdir);
        if (!Directory.Exists(dir)) return list;
        foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                var r = doc.RootElement;
                var start = DateTimeOffset.Parse(r.GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
                var end = DateTimeOffset.Parse(r.GetProperty("end").GetString()!, CultureInfo.InvariantCulture);
                var diagnostics = new List<PhaseDiagnostic>();
                if (r.TryGetProperty("diagnostics", out var ds) && ds.ValueKind == JsonValueKind.Array)
                    foreach (var d in ds.EnumerateArray())
                        diagnostics.Add(new PhaseDiagnostic(Str(d, "severity") ?? "warning", Str(d, "code") ?? "", Str(d, "message") ?? "", Str(d, "file")));
                var messages = r.TryGetProperty("messages", out var ms) && ms.ValueKind == JsonValueKind.Array
                    ? ms.EnumerateArray().Select(m => m.ToString()).ToList() : [];
                list.Add(new PhaseRecord(Str(r, "phase") ?? Path.GetFileNameWithoutExtension(file), Str(r, "variant"), Str(r, "arch"), start, end,
                    !r.TryGetProperty("succeeded", out var ok) || ok.ValueKind != JsonValueKind.False,
                    r.TryGetProperty("warnings", out var w) && w.TryGetInt32(out var n) ? n : 0, messages, diagnostics)
                {
                    ThisRun = runStarted is null || start >= runStarted.Value,
                });
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                // A half-written or foreign file: leave it out of the report.
            }
        }
        list.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Instance, b.Instance));
        MarkCriticalPath(list.Where(r => r.ThisRun).ToList());
        return list;
    }

    /// <summary>
    /// The records have no dependency edges, so the critical path is read off the clock: start from the record that
    /// ended last and step back to the record that ended latest before it started (its likely predecessor), and so on.
    /// Those records are what made this run as long as it was.
    /// </summary>
    public static void MarkCriticalPath(IReadOnlyList<PhaseRecord> records)
    {
        var slack = TimeSpan.FromMilliseconds(50);
        var current = records.MaxBy(r => r.End);
        while (current is not null)
        {
            current.Critical = true;
            var start = current.Start;
            current = records.Where(r => !r.Critical && r.End <= start + slack && r.Start < start).MaxBy(r => r.End);
        }
    }

    /// <summary>Writes the records as one JSON document; returns false when the file already had this content.</summary>
    public static bool Write(string topdir, IReadOnlyList<PhaseRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            if (records.Count > 0)
            {
                var first = records.Where(r => r.ThisRun).DefaultIfEmpty(records[0]).Min(r => r!.Start);
                var last = records.Where(r => r.ThisRun).DefaultIfEmpty(records[0]).Max(r => r!.End);
                j.WriteString("run_start", first.ToString("O", CultureInfo.InvariantCulture));
                j.WriteString("run_end", last.ToString("O", CultureInfo.InvariantCulture));
                j.WriteNumber("run_seconds", Math.Round((last - first).TotalSeconds, 3));
            }
            j.WriteStartArray("phases");
            foreach (var r in records)
            {
                j.WriteStartObject();
                j.WriteString("phase", r.Phase);
                if (r.Variant is null) j.WriteNull("variant"); else j.WriteString("variant", r.Variant);
                if (r.Arch is null) j.WriteNull("arch"); else j.WriteString("arch", r.Arch);
                j.WriteString("start", r.Start.ToString("O", CultureInfo.InvariantCulture));
                j.WriteString("end", r.End.ToString("O", CultureInfo.InvariantCulture));
                j.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                j.WriteBoolean("succeeded", r.Succeeded);
                j.WriteBoolean("this_run", r.ThisRun);
                j.WriteBoolean("critical", r.Critical);
                j.WriteNumber("warnings", r.Warnings);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return AtomicFile.WriteIfChanged(OutputPath(topdir), buffer.ToArray());
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
