using System.Globalization;
using System.Xml.Linq;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Comps;

/// <summary>Package types in the order libcomps (and Pungi's writer) list them.</summary>
public enum CompsPackageType
{
    Mandatory,
    Default,
    Optional,
    Conditional,

    /// <summary>A <c>type</c> libcomps does not know; Pungi refuses to write such a group.</summary>
    Unknown,
}

/// <summary>One <c>packagereq</c>. A missing <c>type</c> reads as mandatory (libcomps 0.1.19).</summary>
public sealed record CompsPackage(string Name, CompsPackageType Type, string? Requires = null, int Line = 0)
{
    public string TypeName => Type switch
    {
        CompsPackageType.Mandatory => "mandatory",
        CompsPackageType.Default => "default",
        CompsPackageType.Optional => "optional",
        CompsPackageType.Conditional => "conditional",
        _ => "unknown",
    };
}

/// <summary>A <c>groupid</c> in a category's or environment's list.</summary>
public sealed record CompsGroupId(string Name, bool Default = false);

/// <summary>id, names and descriptions with their <c>xml:lang</c> translations, shared by groups, categories and
/// environments.</summary>
public abstract record CompsItem
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyDictionary<string, string> NameByLang { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> DescriptionByLang { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public int? DisplayOrder { get; init; }
    public int Line { get; init; }
}

public sealed record CompsGroup : CompsItem
{
    public bool Default { get; init; }

    /// <summary>libcomps reads a missing <c>uservisible</c> as true.</summary>
    public bool UserVisible { get; init; } = true;

    public string? LangOnly { get; init; }
    public IReadOnlyList<CompsPackage> Packages { get; init; } = [];
}

public sealed record CompsCategory : CompsItem
{
    public IReadOnlyList<CompsGroupId> GroupIds { get; init; } = [];
}

public sealed record CompsEnvironment : CompsItem
{
    public IReadOnlyList<CompsGroupId> GroupIds { get; init; } = [];
    public IReadOnlyList<CompsGroupId> OptionIds { get; init; } = [];
}

/// <summary>
/// Comps as libcomps sees it: what Pungi's second step (spec §4.3) reads and rewrites, and what Gather asks for
/// (packages per group with their type, environments' group lists, langpacks). Unknown elements are not part of
/// this view, as they are not part of libcomps'.
/// </summary>
public sealed record CompsModel
{
    public IReadOnlyList<CompsGroup> Groups { get; init; } = [];
    public IReadOnlyList<CompsCategory> Categories { get; init; } = [];
    public IReadOnlyList<CompsEnvironment> Environments { get; init; } = [];

    /// <summary>Langpacks: package name → install pattern with <c>%s</c> for the language (a repeated name: last
    /// wins, as in libcomps).</summary>
    public IReadOnlyDictionary<string, string> Langpacks { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string? File { get; init; }

    public CompsGroup? FindGroup(string id) => Groups.FirstOrDefault(g => g.Id == id);

    /// <summary>Group ids in file order (Gather's <c>comps</c> source takes all of them, spec §3.2).</summary>
    public IReadOnlyList<string> GroupIds => Groups.Select(g => g.Id).ToList();

    /// <summary>The packages of one group with their types.</summary>
    /// <exception cref="KeyNotFoundException">The group is not in this comps.</exception>
    public IReadOnlyList<CompsPackage> PackagesOf(string groupId)
        => FindGroup(groupId)?.Packages ?? throw new KeyNotFoundException($"No such comps group '{groupId}'");

    /// <summary>Reads a comps file straight into the libcomps view.</summary>
    public static CompsModel Load(string path) => FromDocument(CompsDocument.Load(path));

    /// <summary>Builds the libcomps view of an XML comps document. Pungi's extension attributes (<c>arch</c>,
    /// <c>variant</c>) are ignored here, as libcomps ignores them; filter first.</summary>
    public static CompsModel FromDocument(CompsDocument doc)
    {
        var groups = new List<CompsGroup>();
        var categories = new List<CompsCategory>();
        var environments = new List<CompsEnvironment>();
        var langpacks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in doc.Root.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "group":
                    var common = ReadCommon(doc, element);
                    groups.Add(new CompsGroup
                    {
                        Id = common.Id, Name = common.Name, Description = common.Description, NameByLang = common.NameByLang,
                        DescriptionByLang = common.DescriptionByLang, DisplayOrder = common.DisplayOrder, Line = common.Line,
                        Default = ReadBool(element.Element("default"), false),
                        UserVisible = ReadBool(element.Element("uservisible"), true),
                        LangOnly = Text(element.Element("langonly")),
                        Packages = element.Elements("packagelist").Elements("packagereq").Select(ReadPackage).ToList(),
                    });
                    break;
                case "category":
                    common = ReadCommon(doc, element);
                    categories.Add(new CompsCategory
                    {
                        Id = common.Id, Name = common.Name, Description = common.Description, NameByLang = common.NameByLang,
                        DescriptionByLang = common.DescriptionByLang, DisplayOrder = common.DisplayOrder, Line = common.Line,
                        GroupIds = ReadGroupIds(element, "grouplist"),
                    });
                    break;
                case "environment":
                    common = ReadCommon(doc, element);
                    environments.Add(new CompsEnvironment
                    {
                        Id = common.Id, Name = common.Name, Description = common.Description, NameByLang = common.NameByLang,
                        DescriptionByLang = common.DescriptionByLang, DisplayOrder = common.DisplayOrder, Line = common.Line,
                        GroupIds = ReadGroupIds(element, "grouplist"),
                        OptionIds = ReadGroupIds(element, "optionlist"),
                    });
                    break;
                case "langpacks":
                    foreach (var match in element.Elements("match"))
                        if (match.Attribute("name")?.Value is { } name)
                            langpacks[name] = match.Attribute("install")?.Value ?? "";
                    break;
            }
        }
        return new CompsModel { Groups = groups, Categories = categories, Environments = environments, Langpacks = langpacks, File = doc.File };
    }

    /// <summary>Init step 2 (spec §2.1): a package name with leading or trailing whitespace is an error. All offenders
    /// are listed in one message, as upstream does.</summary>
    public void ValidatePackageNames()
    {
        var bad = Groups.SelectMany(g => g.Packages.Where(p => p.Name != p.Name.Trim()).Select(p => (g, p))).ToList();
        if (bad.Count == 0)
            return;
        var lines = bad.Select(b => $"Package name {b.p.Name.Trim()} in group '{b.g.Id}' contains leading or trailing whitespace");
        throw new PungiException(ErrorCodes.CompsPackageWhitespace, "Comps file contains errors:\n" + string.Join("\n", lines), File, bad[0].p.Line);
    }

    private sealed record Common(string Id, string? Name, string? Description, SortedDictionary<string, string> NameByLang,
        SortedDictionary<string, string> DescriptionByLang, int? DisplayOrder, int Line);

    private static Common ReadCommon(CompsDocument doc, XElement element)
    {
        var idElement = element.Element("id");
        var id = Text(idElement) ?? throw new PungiException(ErrorCodes.CompsMissingId, $"A <{element.Name.LocalName}> has no <id>.", doc.File, CompsDocument.LineOf(element), CompsDocument.ColumnOf(element));
        string? name = null, description = null;
        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var descriptions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in element.Elements())
        {
            bool isName = child.Name == "name", isDescription = child.Name == "description";
            if (!isName && !isDescription)
                continue;
            var text = Text(child);
            var lang = child.Attribute(XNamespace.Xml + "lang")?.Value;
            if (lang is null)
            {
                if (isName) name = text;
                else description = text;
            }
            else if (text is not null)
            {
                (isName ? names : descriptions)[lang] = text;
            }
        }
        int? displayOrder = null;
        if (element.Element("display_order") is { } order)
        {
            if (!int.TryParse(order.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new PungiException(ErrorCodes.CompsBadValue, $"display_order '{order.Value}' of '{id}' is not a whole number.", doc.File, CompsDocument.LineOf(order), CompsDocument.ColumnOf(order));
            displayOrder = value;
        }
        return new Common(id, name, description, names, descriptions, displayOrder, CompsDocument.LineOf(element));
    }

    private static CompsPackage ReadPackage(XElement element)
    {
        var type = element.Attribute("type")?.Value switch
        {
            null or "mandatory" => CompsPackageType.Mandatory,
            "default" => CompsPackageType.Default,
            "optional" => CompsPackageType.Optional,
            "conditional" => CompsPackageType.Conditional,
            _ => CompsPackageType.Unknown,
        };
        return new CompsPackage(Text(element) ?? "", type, element.Attribute("requires")?.Value, CompsDocument.LineOf(element));
    }

    private static List<CompsGroupId> ReadGroupIds(XElement element, string list)
        => element.Elements(list).Elements("groupid")
            .Select(g => new CompsGroupId(Text(g) ?? "", g.Attribute("default")?.Value == "true"))
            .ToList();

    // libcomps compares the text with "true" exactly; anything else is false.
    private static bool ReadBool(XElement? element, bool missing) => element is null ? missing : Text(element) == "true";

    /// <summary>
    /// An element's text as libcomps keeps it: expat hands character data over line by line (each newline a chunk of
    /// its own) and libcomps drops every chunk that is only whitespace, so newlines and whitespace-only lines vanish
    /// while spaces inside a line stay ("\n  Tools\n  " reads as "  Tools"). Empty text is null.
    /// </summary>
    internal static string? Text(XElement? element)
    {
        if (element is null)
            return null;
        var value = element.Value;
        if (value.IndexOf('\n') < 0)
            return IsSpaceOnly(value) ? null : value;
        var sb = new System.Text.StringBuilder(value.Length);
        foreach (var line in value.Split('\n'))
            if (!IsSpaceOnly(line))
                sb.Append(line);
        return sb.Length == 0 ? null : sb.ToString();
    }

    // C isspace() in the "C" locale.
    private static bool IsSpaceOnly(string s)
    {
        foreach (var c in s)
            if (c is not (' ' or '\t' or '\n' or '\v' or '\f' or '\r'))
                return false;
        return true;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
