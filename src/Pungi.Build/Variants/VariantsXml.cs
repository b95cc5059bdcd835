using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Variants;

/// <summary>
/// Reads Pungi's <c>variants.xml</c> (spec §5): checks it against <c>variants.dtd</c> by hand (elements, order,
/// attributes, enumerations), then Pungi's extra rules (no leading/trailing whitespace in text, booleans exactly
/// <c>true</c>/<c>false</c>), and builds the <see cref="VariantModel"/>. Every error names the file and line.
/// </summary>
public static class VariantsXml
{
    // variants.dtd: <!ELEMENT variant (release?,arches,groups?,environments*,variants*,buildinstallpackages?,modules?)?>
    private static readonly string[] VariantChildOrder = ["release", "arches", "groups", "environments", "variants", "buildinstallpackages", "modules"];
    private static readonly HashSet<string> RepeatableChildren = ["environments", "variants"];

    public static VariantModel Load(string path, VariantFilter? filter = null)
    {
        if (!File.Exists(path))
            throw new PungiException(ErrorCodes.VariantsFileMissing,
                $"Variants file '{path}' does not exist: check the VariantsFile item.", path);
        XDocument doc;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
            using var reader = XmlReader.Create(path, settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new PungiException(ErrorCodes.VariantsXmlMalformed, $"Variants file is not well-formed XML: {ex.Message}",
                path, ex.LineNumber, ex.LinePosition, ex);
        }
        catch (IOException ex)
        {
            throw new PungiException(ErrorCodes.VariantsFileMissing, $"Variants file '{path}' cannot be read: {ex.Message}", path, 0, 0, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PungiException(ErrorCodes.VariantsFileMissing, $"Variants file '{path}' cannot be read: {ex.Message}", path, 0, 0, ex);
        }
        return Parse(doc, path, filter);
    }

    /// <summary>Parses an already loaded document (load it with <see cref="LoadOptions.SetLineInfo"/> for line numbers).</summary>
    public static VariantModel Parse(XDocument doc, string? file, VariantFilter? filter = null)
    {
        var root = doc.Root!;
        if (root.Name.LocalName != "variants" || root.Name.Namespace != XNamespace.None)
            throw Invalid(root, file, $"the root element must be <variants>, not <{root.Name.LocalName}>");
        CheckAttributes(root, file);

        // <!ELEMENT variants (ref*,variant*)>
        var seenVariant = false;
        foreach (var el in root.Elements())
        {
            switch (el.Name.LocalName)
            {
                case "ref" when !seenVariant:
                    CheckAttributes(el, file, "id");
                    CheckEmpty(el, file);
                    break;
                case "ref":
                    throw Invalid(el, file, "<ref> elements must come before the <variant> elements of <variants>");
                case "variant":
                    seenVariant = true;
                    break;
                default:
                    throw Invalid(el, file, $"<{el.Name.LocalName}> is not allowed in <variants> (only <ref> and <variant>)");
            }
        }
        CheckNoText(root, file);

        // Top-level addons and layered products are templates, used only when a <ref> pulls them in.
        var templates = new Dictionary<string, VariantDefinition>(StringComparer.Ordinal);
        var topLevel = new List<VariantDefinition>();
        var topIds = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var el in root.Elements("variant"))
        {
            var def = ParseVariant(el, file);
            if (def.Type is "addon" or "layered-product")
            {
                if (templates.TryGetValue(def.Id, out var other))
                    throw Error(ErrorCodes.VariantDuplicateUid,
                        $"Top-level {def.Type} '{def.Id}' is defined twice (first at line {other.Where.Line}).", el, file);
                templates[def.Id] = def;
            }
            else if (def.Type == "variant")
            {
                if (topIds.TryGetValue(def.Id, out var first))
                    throw Error(ErrorCodes.VariantDuplicateUid,
                        $"Variant UID '{def.Id}' is defined twice (first at line {first.Line}).", el, file);
                topIds[def.Id] = def.Where;
                topLevel.Add(def);
            }
            else
            {
                throw Error(ErrorCodes.VariantChildWithoutParent,
                    $"Variant '{def.Id}' of type '{def.Type}' cannot be top-level: put it inside a variant's <variants>.", el, file);
            }
        }
        return VariantModel.Build(topLevel, templates, filter);
    }

    private static VariantDefinition ParseVariant(XElement el, string? file)
    {
        CheckAttributes(el, file, "id", "name", "type", "has_optional", "is_empty");
        var id = Required(el, "id", file);
        var name = Required(el, "name", file);
        var type = Required(el, "type", file);
        if (!VariantTypes.TryParse(type, out _))
            throw Error(ErrorCodes.VariantUnknownType,
                $"Variant '{id}' has type '{type}': use variant, addon, optional or layered-product.", el, file, "type");
        var hasOptional = Bool(el, "has_optional", file) ?? false;
        // Pungi 4.3 reads is_empty as presence (is_empty="false" counts as true, Appendix B); we read the value.
        var isEmpty = Bool(el, "is_empty", file) ?? false;

        CheckNoText(el, file);
        var lastIndex = -1;
        string? last = null;
        foreach (var child in el.Elements())
        {
            var n = child.Name.LocalName;
            var index = Array.IndexOf(VariantChildOrder, n);
            if (index < 0)
                throw Invalid(child, file, $"<{n}> is not allowed in <variant> (allowed, in order: {string.Join(", ", VariantChildOrder.Select(c => "<" + c + ">"))})");
            if (index < lastIndex || (index == lastIndex && !RepeatableChildren.Contains(n)))
                throw Invalid(child, file, index == lastIndex
                    ? $"<{n}> may appear only once in <variant>"
                    : $"<{n}> must come before <{last}> in <variant> (order: {string.Join(", ", VariantChildOrder)})");
            lastIndex = index;
            last = n;
        }
        if (el.HasElements && el.Element("arches") is null)
            throw Invalid(el, file, $"variant '{id}' needs an <arches> element");

        VariantRelease? release = null;
        if (el.Element("release") is { } rel)
        {
            CheckAttributes(rel, file, "name", "short", "version");
            var rn = (string?)rel.Attribute("name");
            var rs = (string?)rel.Attribute("short");
            var rv = (string?)rel.Attribute("version");
            if (type == "layered-product")
            {
                if (string.IsNullOrEmpty(rn) || string.IsNullOrEmpty(rs) || string.IsNullOrEmpty(rv))
                    throw Error(ErrorCodes.VariantMissingRelease,
                        $"Layered product '{id}' needs all of name, short and version on <release>.", rel, file);
                release = new VariantRelease(rn, rs, rv);
            }
        }

        var arches = new List<(string, SourceLocation)>();
        if (el.Element("arches") is { } archesEl)
        {
            CheckAttributes(archesEl, file);
            foreach (var a in ChildrenOf(archesEl, "arch", file, atLeastOne: true))
                arches.Add((Text(a, file), Where(a, file)));
        }

        var groups = new List<VariantGroup>();
        if (el.Element("groups") is { } groupsEl)
        {
            CheckAttributes(groupsEl, file);
            foreach (var g in ChildrenOf(groupsEl, "group", file, atLeastOne: true))
            {
                CheckAttributes(g, file, "glob", "default", "uservisible");
                groups.Add(new VariantGroup(Text(g, file), Bool(g, "glob", file) ?? false, Bool(g, "default", file), Bool(g, "uservisible", file)));
            }
        }

        var environments = new List<VariantEnvironment>();
        foreach (var envs in el.Elements("environments"))
        {
            CheckAttributes(envs, file);
            foreach (var e in ChildrenOf(envs, "environment", file, atLeastOne: true))
            {
                CheckAttributes(e, file, "display_order");
                int? order = null;
                if (e.Attribute("display_order") is { } od)
                {
                    if (!int.TryParse(od.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var o))
                        throw Error(ErrorCodes.VariantBadDisplayOrder, $"display_order '{od.Value}' is not an integer.", e, file, "display_order");
                    order = o;
                }
                environments.Add(new VariantEnvironment(Text(e, file), order));
            }
        }

        var children = new List<VariantDefinition>();
        var refs = new List<(string, SourceLocation)>();
        foreach (var vs in el.Elements("variants"))
        {
            CheckAttributes(vs, file);
            CheckNoText(vs, file);
            foreach (var c in vs.Elements())
            {
                switch (c.Name.LocalName)
                {
                    case "variant":
                        children.Add(ParseVariant(c, file));
                        break;
                    case "ref":
                        CheckAttributes(c, file, "id");
                        CheckEmpty(c, file);
                        refs.Add((Required(c, "id", file), Where(c, file)));
                        break;
                    default:
                        throw Invalid(c, file, $"<{c.Name.LocalName}> is not allowed in <variants> (only <ref> and <variant>)");
                }
            }
        }

        var packages = new List<string>();
        if (el.Element("buildinstallpackages") is { } bip)
        {
            CheckAttributes(bip, file);
            foreach (var p in ChildrenOf(bip, "package", file, atLeastOne: true))
                packages.Add(Text(p, file));
        }

        List<VariantModule>? modules = null;
        List<string>? kojiTags = null;
        if (el.Element("modules") is { } modsEl)
        {
            // <!ELEMENT modules (module*, kojitag*)>; Pungi leaves modules None unless a <module> exists.
            CheckAttributes(modsEl, file);
            CheckNoText(modsEl, file);
            var seenTag = false;
            foreach (var m in modsEl.Elements())
            {
                if (m.Name.LocalName == "module" && !seenTag)
                {
                    CheckAttributes(m, file, "glob");
                    (modules ??= []).Add(new VariantModule(Text(m, file), Bool(m, "glob", file) ?? false));
                }
                else if (m.Name.LocalName == "kojitag")
                {
                    CheckAttributes(m, file);
                    seenTag = true;
                    (kojiTags ??= []).Add(Text(m, file));
                }
                else
                {
                    throw Invalid(m, file, m.Name.LocalName == "module"
                        ? "<module> elements must come before <kojitag> elements"
                        : $"<{m.Name.LocalName}> is not allowed in <modules> (only <module> and <kojitag>)");
                }
            }
        }

        return new VariantDefinition
        {
            Id = id,
            Name = name,
            Type = type,
            Arches = arches,
            Groups = groups,
            Environments = environments,
            Modules = modules,
            ModularKojiTags = kojiTags,
            BuildInstallPackages = packages,
            IsEmpty = isEmpty,
            HasOptional = hasOptional,
            Release = release,
            Children = children,
            Refs = refs,
            Where = Where(el, file),
        };
    }

    private static IEnumerable<XElement> ChildrenOf(XElement parent, string childName, string? file, bool atLeastOne)
    {
        CheckNoText(parent, file);
        var list = parent.Elements().ToList();
        foreach (var c in list)
            if (c.Name.LocalName != childName)
                throw Invalid(c, file, $"<{c.Name.LocalName}> is not allowed in <{parent.Name.LocalName}> (only <{childName}>)");
        if (atLeastOne && list.Count == 0)
            throw parent.Name.LocalName == "arches"
                ? Error(ErrorCodes.VariantNoArches, "<arches> is empty: list at least one <arch>.", parent, file)
                : Invalid(parent, file, $"<{parent.Name.LocalName}> needs at least one <{childName}>");
        return list;
    }

    /// <summary>Pungi rejects leading/trailing whitespace in arch, environment, group, kojitag, module, name, package.</summary>
    private static string Text(XElement el, string? file)
    {
        if (el.HasElements)
            throw Invalid(el, file, $"<{el.Name.LocalName}> holds text only");
        var text = el.Value;
        if (text.Length == 0)
            throw Invalid(el, file, $"<{el.Name.LocalName}> is empty");
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            throw Error(ErrorCodes.VariantTextWhitespace,
                $"<{el.Name.LocalName}> '{text}' has leading or trailing whitespace: remove it.", el, file);
        return text;
    }

    private static bool? Bool(XElement el, string attribute, string? file)
    {
        var a = el.Attribute(attribute);
        if (a is null)
            return null;
        return a.Value switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error(ErrorCodes.VariantBadBoolean,
                $"Attribute {attribute}=\"{a.Value}\" on <{el.Name.LocalName}> must be exactly 'true' or 'false'.", el, file, attribute),
        };
    }

    private static string Required(XElement el, string attribute, string? file)
        => el.Attribute(attribute)?.Value is { Length: > 0 } v
            ? v
            : throw Invalid(el, file, $"<{el.Name.LocalName}> needs the attribute '{attribute}'");

    private static void CheckAttributes(XElement el, string? file, params string[] allowed)
    {
        foreach (var a in el.Attributes())
        {
            if (a.IsNamespaceDeclaration || a.Name.Namespace == XNamespace.Xml)
                continue;
            if (!allowed.Contains(a.Name.LocalName) || a.Name.Namespace != XNamespace.None)
                throw Invalid(el, file, $"attribute '{a.Name.LocalName}' is not allowed on <{el.Name.LocalName}>"
                    + (allowed.Length > 0 ? $" (allowed: {string.Join(", ", allowed)})" : ""), a);
        }
    }

    private static void CheckNoText(XElement el, string? file)
    {
        foreach (var t in el.Nodes().OfType<XText>())
            if (!string.IsNullOrWhiteSpace(t.Value))
                throw Invalid(el, file, $"<{el.Name.LocalName}> may not contain text ('{t.Value.Trim()}')");
    }

    private static void CheckEmpty(XElement el, string? file)
    {
        if (el.Nodes().Any(n => n is XElement || (n is XText t && !string.IsNullOrWhiteSpace(t.Value))))
            throw Invalid(el, file, $"<{el.Name.LocalName}> must be empty");
    }

    private static SourceLocation Where(XObject o, string? file)
        => o is IXmlLineInfo li && li.HasLineInfo() ? new SourceLocation(file, li.LineNumber, li.LinePosition) : new SourceLocation(file, 0);

    private static PungiException Invalid(XElement el, string? file, string why, XObject? at = null)
        => VariantModel.Error(ErrorCodes.VariantsXmlInvalid, $"Variants file does not match variants.dtd: {why}.", Where(at ?? el, file));

    private static PungiException Error(string code, string message, XElement el, string? file, string? attribute = null)
        => VariantModel.Error(code, message, Where(attribute is not null && el.Attribute(attribute) is { } a ? a : el, file));
}
