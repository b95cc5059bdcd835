using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Pungi.Build.ProjectSchema;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Validate's first step: every property and item of the composeproj schema (collected by the generated
/// <c>targets/Phases/Validate.targets</c>) is checked by <see cref="SettingsValidator"/>, and every problem is reported
/// at the line of the composeproj element that caused it — all of them, not only the first.
/// </summary>
public sealed class ValidateSettings : PungiTask
{
    [Required] public string ProjectFile { get; set; } = "";
    /// <summary>One item per schema property: Include is its name, <c>Value</c> its evaluated value.</summary>
    public ITaskItem[] Settings { get; set; } = [];
    /// <summary>Every item of the schema's item types, with <c>PungiItemType</c> and <c>PungiDefinedIn</c>.</summary>
    public ITaskItem[] Items { get; set; } = [];
    /// <summary>The variant and comps items themselves (not copies), so errors inside them point at their own lines.</summary>
    public ITaskItem[] VariantsFiles { get; set; } = [];
    public ITaskItem[] Variants { get; set; } = [];
    public ITaskItem[] CompsFiles { get; set; } = [];

    protected override string PhaseName => "Validate";

    protected override void ExecutePhase()
    {
        var validator = new SettingsValidator();
        var values = Settings.ToDictionary(s => s.ItemSpec, s => s.GetMetadata("Value"), StringComparer.OrdinalIgnoreCase);
        string? Value(string name) => values.GetValueOrDefault(name);
        // One pass over the project for every property's line (the last assignment wins, as ItemLocation.FindProperty).
        var positions = ItemLocation.PropertyPositions(ProjectFile);
        SourceLocation At(string name)
            => positions.TryGetValue(name, out var p) ? new SourceLocation(ProjectFile, p.Line, p.Column) : new SourceLocation(ProjectFile, 0, 0);

        foreach (var (name, value) in values)
            validator.CheckProperty(name, value, At(name));
        validator.CheckCombinations(Value, At);

        var projectDir = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        var items = Items.Select(ToSettingItem).ToList();
        foreach (var item in items)
            validator.CheckItem(item, Path.GetDirectoryName(item.Location.File ?? ProjectFile) ?? projectDir);
        validator.CheckNames(ProjectElements());

        // Variant and comps references need the variant model (unfiltered: a pattern for a variant TreeVariants leaves
        // out is fine); a broken variants file or comps file is reported as itself, with its own code and line.
        try
        {
            var model = VariantInputs.Load(VariantsFiles, Variants, null, null, ProjectFile);
            validator.CheckVariantReferences(items, model, Value("TreeVariants"), At("TreeVariants"));
            var compsFiles = CompsFiles.Where(i => File.Exists(i.GetMetadata("FullPath"))).ToList();
            if (compsFiles.Count == CompsFiles.Length)
            {
                var comps = compsFiles.Select(i => CompsModel.Load(i.GetMetadata("FullPath"))).ToList();
                validator.CheckCompsReferences(model, comps);
            }
        }
        catch (PungiException e)
        {
            LogPungiError(e);
        }

        foreach (var d in validator.Diagnostics)
        {
            if (d.IsWarning)
                LogWarning(d.Code, d.Message, d.File, d.Line, d.Column);
            else
                Log.LogError(null, d.Code, null, d.File, d.Line, d.Column, 0, 0, d.Message);
        }
    }

    private SettingItem ToSettingItem(ITaskItem i)
    {
        var type = i.GetMetadata("PungiItemType");
        var spec = ComposeprojSchema.FindItem(type);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in spec?.Metadata ?? [])
            metadata[m.Name] = i.GetMetadata(m.Name);
        // The copy made in the target is defined in Validate.targets; the original's file is carried along.
        var definedIn = i.GetMetadata("PungiDefinedIn");
        var (f, l, c) = ItemLocation.Find(definedIn, i.ItemSpec, type);
        return new SettingItem(type, i.ItemSpec, metadata, new SourceLocation(f ?? ProjectFile, l, c));
    }

    /// <summary>The project file's properties, item types and item metadata with their positions, for the name checks.</summary>
    private IEnumerable<(string Kind, string Name, string? ItemType, SourceLocation Where)> ProjectElements()
    {
        // The document the locations above were read from: the project is parsed once.
        if (ItemLocation.Document(ProjectFile) is not { } doc) yield break;
        foreach (var group in doc.Root?.Elements() ?? [])
        {
            var kind = group.Name.LocalName switch { "PropertyGroup" => "property", "ItemGroup" => "item", _ => null };
            if (kind is null) continue;
            foreach (var e in group.Elements())
            {
                var info = (IXmlLineInfo)e;
                yield return (kind, e.Name.LocalName, null, new SourceLocation(ProjectFile, info.LineNumber, info.LinePosition));
                if (kind != "item") continue;
                foreach (var a in e.Attributes())
                    yield return ("metadata", a.Name.LocalName, e.Name.LocalName, new SourceLocation(ProjectFile, info.LineNumber, info.LinePosition));
                foreach (var m in e.Elements())
                {
                    var mi = (IXmlLineInfo)m;
                    yield return ("metadata", m.Name.LocalName, e.Name.LocalName, new SourceLocation(ProjectFile, mi.LineNumber, mi.LinePosition));
                }
            }
        }
    }
}
