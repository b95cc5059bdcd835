using System.Globalization;
using System.Text.Json;

namespace Pungi.Build.Report;

/// <summary>The change list as text for a terminal and as JSON for scripts (<c>pungi-build diff</c>).</summary>
public static class DiffWriter
{
    public static string KindWord(PackageChangeKind kind) => kind switch
    {
        PackageChangeKind.Added => "added",
        PackageChangeKind.Removed => "removed",
        PackageChangeKind.Upgraded => "upgraded",
        PackageChangeKind.Downgraded => "downgraded",
        _ => "arch-changed",
    };

    public static string ImageKindWord(ImageChangeKind kind) => kind switch
    {
        ImageChangeKind.Added => "added",
        ImageChangeKind.Removed => "removed",
        _ => "changed",
    };

    /// <summary>One line per change, grouped by variant.arch, with a summary line first.</summary>
    public static void WriteText(TextWriter w, ComposeDiff diff)
    {
        w.WriteLine($"{diff.OldId} -> {diff.NewId}");
        w.WriteLine($"packages: {diff.Total(PackageChangeKind.Added)} added, {diff.Total(PackageChangeKind.Removed)} removed, " +
                    $"{diff.Total(PackageChangeKind.Upgraded)} upgraded, {diff.Total(PackageChangeKind.Downgraded)} downgraded, " +
                    $"{diff.Total(PackageChangeKind.ArchChanged)} arch changed; images: {diff.TotalImages(ImageChangeKind.Added)} added, " +
                    $"{diff.TotalImages(ImageChangeKind.Removed)} removed, {diff.TotalImages(ImageChangeKind.Changed)} changed");
        foreach (var va in diff.VariantArches)
        {
            if (va.IsEmpty) continue;
            w.WriteLine();
            w.WriteLine($"{va.VariantArch}: {va.OldPackages} -> {va.NewPackages} packages, images {Size(va.OldImageBytes)} -> {Size(va.NewImageBytes)} ({Delta(va.NewImageBytes - va.OldImageBytes)})");
            foreach (var p in va.Packages)
                w.WriteLine($"  {KindWord(p.Kind),-12} {p.Category,-6} {p.Old?.Display ?? "-"} -> {p.New?.Display ?? "-"}");
            foreach (var i in va.Images)
                w.WriteLine($"  image {ImageKindWord(i.Kind),-8} {(i.New ?? i.Old)!.Path} ({Delta(i.SizeDelta)})");
        }
    }

    public static void WriteJson(Stream stream, ComposeDiff diff)
    {
        using var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        j.WriteStartObject();
        j.WriteString("old", diff.OldId);
        j.WriteString("new", diff.NewId);
        j.WriteStartObject("summary");
        foreach (var kind in Enum.GetValues<PackageChangeKind>())
            j.WriteNumber(KindWord(kind), diff.Total(kind));
        foreach (var kind in Enum.GetValues<ImageChangeKind>())
            j.WriteNumber("images_" + ImageKindWord(kind), diff.TotalImages(kind));
        j.WriteEndObject();
        j.WriteStartObject("variants");
        foreach (var va in diff.VariantArches)
        {
            j.WriteStartObject(va.VariantArch);
            j.WriteNumber("old_packages", va.OldPackages);
            j.WriteNumber("new_packages", va.NewPackages);
            j.WriteNumber("old_image_bytes", va.OldImageBytes);
            j.WriteNumber("new_image_bytes", va.NewImageBytes);
            j.WriteStartArray("packages");
            foreach (var p in va.Packages)
            {
                j.WriteStartObject();
                j.WriteString("change", KindWord(p.Kind));
                j.WriteString("name", p.Name);
                j.WriteString("category", p.Category);
                if (p.Old is null) j.WriteNull("old"); else j.WriteString("old", p.Old.Nevra);
                if (p.New is null) j.WriteNull("new"); else j.WriteString("new", p.New.Nevra);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteStartArray("images");
            foreach (var i in va.Images)
            {
                j.WriteStartObject();
                j.WriteString("change", ImageKindWord(i.Kind));
                var any = (i.New ?? i.Old)!;
                j.WriteString("type", any.Type);
                j.WriteString("format", any.Format);
                j.WriteString("arch", any.Arch);
                j.WriteString("subvariant", any.Subvariant);
                if (i.Old is null) j.WriteNull("old_path"); else j.WriteString("old_path", i.Old.Path);
                if (i.New is null) j.WriteNull("new_path"); else j.WriteString("new_path", i.New.Path);
                j.WriteNumber("size_delta", i.SizeDelta);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        j.WriteEndObject();
        j.WriteEndObject();
    }

    /// <summary>Bytes in binary units with one decimal, as <c>du -h</c> readers expect.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = Math.Abs((double)bytes);
        int u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        var text = u == 0 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.0", CultureInfo.InvariantCulture);
        return (bytes < 0 ? "-" : "") + text + " " + units[u];
    }

    public static string Delta(long bytes) => (bytes >= 0 ? "+" : "") + Size(bytes);
}
