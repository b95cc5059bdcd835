using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;

namespace Pungi.Build.Tasks;

/// <summary>
/// Finds where an item was written in its project file, so an error about it points at that line. A task only knows
/// its own location; the item's <c>DefiningProjectFullPath</c> names the file, which is re-read once and cached.
/// </summary>
internal static class ItemLocation
{
    // Keyed by path and mtime: a reused MSBuild node must not point at lines of an older version of the file.
    private static readonly Dictionary<(string, DateTime), XDocument?> Cache = new();

    public static (string? File, int Line, int Column) Find(ITaskItem item, string itemType)
        => Find(item.GetMetadata("DefiningProjectFullPath"), item.ItemSpec, itemType);

    /// <summary>The same, for an item copied in a target (whose own defining project is that target's file).</summary>
    public static (string? File, int Line, int Column) Find(string? file, string spec, string itemType)
    {
        if (string.IsNullOrEmpty(file)) return (null, 0, 0);
        var doc = Load(file);
        if (doc?.Root == null) return (file, 0, 0);
        foreach (var e in doc.Root.Descendants())
        {
            if (e.Name.LocalName != itemType) continue;
            var include = (string?)e.Attribute("Include");
            if (include == null) continue;
            if (include == spec || include.Split(';').Select(s => s.Trim()).Contains(spec))
            {
                var info = (IXmlLineInfo)e;
                return (file, info.LineNumber, info.LinePosition);
            }
        }
        return (file, 0, 0);
    }

    /// <summary>Where a property is set in the project (the last assignment wins, as in MSBuild).</summary>
    public static (string? File, int Line, int Column) FindProperty(string projectFile, string property)
    {
        var doc = Load(projectFile);
        if (doc?.Root == null) return (projectFile, 0, 0);
        var last = doc.Root.Descendants().LastOrDefault(e => e.Name.LocalName == property && e.Parent?.Name.LocalName == "PropertyGroup");
        if (last == null) return (projectFile, 0, 0);
        var info = (IXmlLineInfo)last;
        return (projectFile, info.LineNumber, info.LinePosition);
    }

    /// <summary>
    /// <see cref="FindProperty"/> for every property of the project in one pass (the last assignment wins), for a
    /// caller that asks about many: Validate checks every schema property and needs a line only for the few that fail.
    /// Names are case-insensitive, as MSBuild's.
    /// </summary>
    public static Dictionary<string, (int Line, int Column)> PropertyPositions(string projectFile)
    {
        var positions = new Dictionary<string, (int Line, int Column)>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in Load(projectFile)?.Root?.Descendants() ?? [])
        {
            if (e.Parent?.Name.LocalName != "PropertyGroup") continue;
            var info = (IXmlLineInfo)e;
            positions[e.Name.LocalName] = (info.LineNumber, info.LinePosition);
        }
        return positions;
    }

    /// <summary>The project file as read for the lookups above (read once per file version), or null if unreadable.</summary>
    public static XDocument? Document(string file) => Load(file);

    private static XDocument? Load(string file)
    {
        var key = (file, File.Exists(file) ? File.GetLastWriteTimeUtc(file) : default);
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var doc)) return doc;
            try
            {
                doc = XDocument.Load(file, LoadOptions.SetLineInfo);
            }
            catch (Exception e) when (e is IOException or XmlException or UnauthorizedAccessException)
            {
                doc = null;
            }
            Cache[key] = doc;
            return doc;
        }
    }
}
