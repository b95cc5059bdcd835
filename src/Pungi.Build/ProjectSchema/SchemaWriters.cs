using System.Text;
using System.Xml.Linq;

namespace Pungi.Build.ProjectSchema;

/// <summary>
/// Writes the files generated from <see cref="ComposeprojSchema"/>: the editor schema, the reference and the settings
/// Validate collects. A test regenerates them and fails when a committed copy differs
/// (<c>PUNGI_UPDATE_SCHEMA=1</c> rewrites them).
/// </summary>
public static class SchemaWriters
{
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    /// <summary>
    /// An XSD without target namespace, as SDK-style projects have none: <c>Project</c>, <c>PropertyGroup</c>,
    /// <c>ItemGroup</c> and one global element per property and item. Groups take any element laxly, so known ones are
    /// checked (type, allowed values) and others pass; a value holding <c>$(</c>, <c>@(</c> or <c>%(</c> always passes.
    /// </summary>
    public static string Xsd()
    {
        var schema = new XElement(Xs + "schema", new XAttribute(XNamespace.Xmlns + "xs", Xs.NamespaceName),
            new XAttribute("elementFormDefault", "qualified"),
            new XComment(" Generated from src/Pungi.Build/ProjectSchema/ComposeprojSchema.cs; do not edit. "),
            Element("Project", Group("PropertyGroup", "ItemGroup", "Import", "Target", "UsingTask", "Choose", "ImportGroup", "ItemDefinitionGroup", "Sdk", "ProjectExtensions")),
            AnyContainer("PropertyGroup"), AnyContainer("ItemGroup"),
            new XElement(Xs + "simpleType", new XAttribute("name", "msbuildExpression"),
                new XElement(Xs + "restriction", new XAttribute("base", "xs:string"),
                    new XElement(Xs + "pattern", new XAttribute("value", @".*[$@%]\(.*")))));
        // A setting that is a property in its scalar form and an item in its mapping form (runroot_method) is one
        // global element: the item's, with mixed content so the property's text is accepted too.
        var itemNames = ComposeprojSchema.Items.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in ComposeprojSchema.Properties.Where(p => !itemNames.Contains(p.Name)))
            schema.Add(new XElement(Xs + "element", new XAttribute("name", p.Name),
                Doc(p.Description + (p.Default is null ? "" : $" Default: {p.Default}.") + (p.PungiOption is null ? "" : $" Pungi: {p.PungiOption}.")),
                SimpleType(p.Kind, p.Values, p.Min, p.Max)));
        foreach (var i in ComposeprojSchema.Items)
        {
            var type = new XElement(Xs + "complexType",
                ComposeprojSchema.FindProperty(i.Name) is null ? null : new XAttribute("mixed", "true"),
                // Metadata written as child elements are not checked here (Validate checks them); attributes are.
                new XElement(Xs + "sequence", new XElement(Xs + "any", new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", "unbounded"), new XAttribute("processContents", "skip"))),
                new XElement(Xs + "attribute", new XAttribute("name", "Include"), Doc("The value: " + i.Description),
                    IncludeType(i)),
                new XElement(Xs + "attribute", new XAttribute("name", "Exclude")),
                new XElement(Xs + "attribute", new XAttribute("name", "Remove")),
                new XElement(Xs + "attribute", new XAttribute("name", "Update")),
                new XElement(Xs + "attribute", new XAttribute("name", "Condition")),
                Metadata(i).Select(m => new XElement(Xs + "attribute", new XAttribute("name", m.Name), Doc(m.Description), SimpleType(m.Kind, m.Values, null, null))));
            schema.Add(new XElement(Xs + "element", new XAttribute("name", i.Name), Doc(i.Description + (i.PungiOption is null ? "" : $" Pungi: {i.PungiOption}.")), type));
        }
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + schema + "\n";
    }

    /// <summary>The reference tables of the README (<c>docs/properties.md</c>).</summary>
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Composeproj reference\n\n");
        sb.Append("Generated from `src/Pungi.Build/ProjectSchema/ComposeprojSchema.cs` (as is `targets/Pungi.Build.xsd`); do not edit.\n");
        sb.Append("Validate checks every value below before any work: booleans are `true`/`false`, lists are `;`-separated.\n\n");
        sb.Append("## Properties\n\n| property | Pungi option | type | default | description |\n|---|---|---|---|---|\n");
        foreach (var p in ComposeprojSchema.Properties)
            sb.Append($"| `{p.Name}` | {Code(p.PungiOption)} | {TypeText(p.Kind, p.Values, p.Min, p.Max)} | {(p.Required ? "required" : Code(p.Default))} | {Escape(p.Description)} |\n");
        sb.Append("\n## Items\n\nMapping items (`Variant`/`Arch` metadata) follow DESIGN.md §3: `Variant` is a regex matched from the start (default `^.*$`), `Arch` an arch or `*` (never `src`).\n\n");
        sb.Append("| item | Pungi option | Include | metadata | description |\n|---|---|---|---|---|\n");
        foreach (var i in ComposeprojSchema.Items)
        {
            var meta = string.Join("<br>", Metadata(i).Select(m => $"`{m.Name}`: {TypeText(m.Kind, m.Values, null, null)}"));
            sb.Append($"| `{i.Name}` | {Code(i.PungiOption)} | {TypeText(i.Include, i.IncludeValues, null, null)} | {(meta.Length == 0 ? "—" : meta)} | {Escape(i.Description)} |\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>targets/Phases/Validate.targets</c>: hands every property and item of the schema to the ValidateSettings task,
    /// which runs first in Validate.
    /// </summary>
    public static string ValidateTargets()
    {
        var sb = new StringBuilder();
        sb.Append("<Project>\n");
        sb.Append("  <!--\n    Generated from src/Pungi.Build/ProjectSchema/ComposeprojSchema.cs; do not edit.\n");
        sb.Append("    Validate's first step: every property and item of the composeproj schema is checked (type, allowed values, regexes,\n");
        sb.Append("    files, variant references, comps groups) before anything touches the compose directory.\n  -->\n");
        sb.Append("  <UsingTask TaskName=\"Pungi.Build.Tasks.ValidateSettings\" AssemblyFile=\"$(PungiTasksAssembly)\" />\n");
        sb.Append("  <PropertyGroup>\n    <PungiValidateDependsOn>$(PungiValidateDependsOn);_PungiValidateSettings</PungiValidateDependsOn>\n  </PropertyGroup>\n");
        sb.Append("  <Target Name=\"_PungiValidateSettings\" Condition=\"'$(_PungiIsVariantArch)' != 'true'\">\n    <ItemGroup>\n");
        foreach (var p in ComposeprojSchema.Properties)
            sb.Append($"      <_PungiSetting Include=\"{p.Name}\" Value=\"$({p.Name})\" />\n");
        foreach (var i in ComposeprojSchema.Items)
            sb.Append($"      <_PungiSettingItem Include=\"@({i.Name})\" PungiItemType=\"{i.Name}\" PungiDefinedIn=\"%(DefiningProjectFullPath)\" />\n");
        sb.Append("    </ItemGroup>\n");
        sb.Append("    <ValidateSettings ProjectFile=\"$(MSBuildProjectFullPath)\" Settings=\"@(_PungiSetting)\" Items=\"@(_PungiSettingItem)\"\n                      VariantsFiles=\"@(VariantsFile)\" Variants=\"@(Variant)\" CompsFiles=\"@(CompsFile)\" />\n");
        sb.Append("  </Target>\n</Project>\n");
        return sb.ToString();
    }

    private static IEnumerable<MetadataSpec> Metadata(ItemSpec i) => i.Metadata;

    private static XElement Element(string name, XElement content) => new(Xs + "element", new XAttribute("name", name), content);

    private static XElement Group(params string[] children)
        => new(Xs + "complexType",
            new XElement(Xs + "choice", new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", "unbounded"),
                children.Select(c => c is "PropertyGroup" or "ItemGroup"
                    ? new XElement(Xs + "element", new XAttribute("ref", c))
                    : new XElement(Xs + "element", new XAttribute("name", c), new XElement(Xs + "complexType", new XAttribute("mixed", "true"),
                        new XElement(Xs + "sequence", new XElement(Xs + "any", new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", "unbounded"), new XAttribute("processContents", "skip"))),
                        new XElement(Xs + "anyAttribute", new XAttribute("processContents", "skip")))))),
            new XElement(Xs + "anyAttribute", new XAttribute("processContents", "skip")));

    private static XElement AnyContainer(string name)
        => new(Xs + "element", new XAttribute("name", name),
            new XElement(Xs + "complexType",
                new XElement(Xs + "sequence", new XElement(Xs + "any", new XAttribute("minOccurs", "0"), new XAttribute("maxOccurs", "unbounded"), new XAttribute("processContents", "lax"))),
                new XElement(Xs + "attribute", new XAttribute("name", "Condition")),
                new XElement(Xs + "attribute", new XAttribute("name", "Label"))));

    private static XElement Doc(string text) => new(Xs + "annotation", new XElement(Xs + "documentation", text));

    /// <summary>The value's type; an MSBuild expression is always accepted, as it is only known after evaluation.</summary>
    private static XElement SimpleType(ValueKind kind, IReadOnlyList<string>? values, int? min, int? max)
    {
        XElement restriction = kind switch
        {
            ValueKind.Boolean => Restriction("xs:string", new XElement(Xs + "pattern", new XAttribute("value", "[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]"))),
            ValueKind.Choice when values is not null => Restriction("xs:string", values.Select(v => new XElement(Xs + "enumeration", new XAttribute("value", v))).ToArray()),
            ValueKind.Integer => Restriction("xs:integer",
                [.. min is { } lo ? [new XElement(Xs + "minInclusive", new XAttribute("value", lo))] : Array.Empty<XElement>(),
                 .. max is { } hi ? [new XElement(Xs + "maxInclusive", new XAttribute("value", hi))] : Array.Empty<XElement>()]),
            _ => Restriction("xs:string"),
        };
        return new XElement(Xs + "simpleType",
            new XElement(Xs + "union", new XAttribute("memberTypes", "msbuildExpression"), new XElement(Xs + "simpleType", restriction)));
    }

    /// <summary>An Include is a <c>;</c>-list: a choice becomes a pattern of allowed values joined by <c>;</c>.</summary>
    private static XElement? IncludeType(ItemSpec i)
    {
        if (i.Include is ValueKind.Choice && i.IncludeValues is { } values)
        {
            var one = "(" + string.Join("|", values.Select(v => System.Text.RegularExpressions.Regex.Escape(v))) + ")";
            return new XElement(Xs + "simpleType", new XElement(Xs + "union", new XAttribute("memberTypes", "msbuildExpression"),
                new XElement(Xs + "simpleType", Restriction("xs:string", new XElement(Xs + "pattern", new XAttribute("value", $"{one}(;{one})*"))))));
        }
        return i.Include is ValueKind.Boolean or ValueKind.Integer ? SimpleType(i.Include, null, null, null) : null;
    }

    private static XElement Restriction(string baseType, params XElement[] facets)
        => new(Xs + "restriction", new XAttribute("base", baseType), facets);

    private static string TypeText(ValueKind kind, IReadOnlyList<string>? values, int? min, int? max) => kind switch
    {
        ValueKind.Boolean => "bool",
        ValueKind.Integer => "int" + (min is null && max is null ? "" : $" {min?.ToString() ?? ""}..{max?.ToString() ?? ""}"),
        ValueKind.Choice when values is not null => string.Join(" \\| ", values.Select(v => $"`{v}`")),
        ValueKind.ChoiceList when values is not null => "list of " + string.Join(" \\| ", values.Select(v => $"`{v}`")),
        ValueKind.TextList => "list",
        ValueKind.Path => "path",
        ValueKind.Regex => "regex",
        ValueKind.Arch => "arch or `*`",
        _ => "text",
    };

    private static string Code(string? s) => string.IsNullOrEmpty(s) ? "—" : $"`{s}`";

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
