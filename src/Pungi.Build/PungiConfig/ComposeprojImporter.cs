using System.Globalization;
using System.Text;
using System.Xml;
using Pungi.Build.Diagnostics;
using Pungi.Build.ProjectSchema;

namespace Pungi.Build.PungiConfig;

/// <summary>How <c>pungi-build import</c> writes its result.</summary>
/// <param name="OutputPath">the composeproj to write; relative paths in the config are rewritten relative to its folder</param>
/// <param name="SdkPath">null: <c>&lt;Project Sdk="Pungi.Build.Sdk/1.0.0"&gt;</c>; else the folder holding Sdk.props/Sdk.targets, imported by path</param>
/// <param name="CopyInputs">copy variants_file and comps_file beside the composeproj (default: reference them where they are)</param>
public sealed record ImportOptions(string OutputPath, string? SdkPath = null, bool CopyInputs = false);

public sealed record ImportedProperty(string Name, string Value, string Option, SourcePos Pos);

/// <summary>One item. Values are what MSBuild evaluates (lists ';'-joined); MSBuild escaping happens only when the XML is written.</summary>
public sealed record ImportedItem(string Type, string Include, IReadOnlyList<KeyValuePair<string, string>> Metadata, string Option, SourcePos Pos);

/// <summary>An option kept as an XML comment: its Python text and why it was not mapped.</summary>
public sealed record KeptComment(string Option, string PythonText, string Reason, SourcePos Pos);

public sealed class ImportResult
{
    public List<ImportedProperty> Properties { get; } = [];
    public List<ImportedItem> Items { get; } = [];
    public List<KeptComment> Comments { get; } = [];
    public List<ConfigDiagnostic> Warnings { get; } = [];
    /// <summary>Inputs to copy beside the composeproj (source, destination), when <see cref="ImportOptions.CopyInputs"/>.</summary>
    public List<(string Source, string Destination)> Copies { get; } = [];
    public string ProjectXml { get; internal set; } = "";
}

/// <summary>
/// Translates a parsed Pungi config into a composeproj by DESIGN.md §3's rules: scalars to PascalCase properties,
/// variant/arch mappings to singular-PascalCase items with Variant/Arch metadata, arch-keyed dicts to an item per value
/// with Arch, lists of dicts to an item per dict (Include its natural name, keys as metadata, nested keys joined
/// with '_'), files and repositories to items with paths relative to the composeproj. What has no form stays as an
/// XML comment with a PUNGI1221 warning; unknown options are kept as comments with the closest known name (PUNGI1220).
/// </summary>
public static class ComposeprojImporter
{
    public const string SdkReference = "Pungi.Build.Sdk/1.0.0";

    // MSBuild's reserved item metadata names: a config key mapping to one of these gets a trailing '_'.
    private static readonly HashSet<string> ReservedMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "FullPath", "RootDir", "Filename", "Extension", "RelativeDir", "Directory", "RecursiveDir", "Identity",
        "ModifiedTime", "CreatedTime", "AccessedTime", "DefiningProjectFullPath", "DefiningProjectDirectory",
        "DefiningProjectName", "DefiningProjectExtension", "Include", "Exclude", "Remove", "Update", "KeepMetadata",
        "RemoveMetadata", "KeepDuplicates", "Condition", "Label", "MatchOnMetadata", "MatchOnMetadataOptions",
    };

    /// <summary>Reads <paramref name="configPath"/>, maps it, and returns the result (nothing written yet).</summary>
    public static ImportResult Import(string configPath, ImportOptions options)
        => Import(PungiConfigReader.ReadFile(configPath), options);

    public static ImportResult Import(PungiConfigFile config, ImportOptions options)
    {
        var ctx = new Context(config, options);
        ctx.Result.Warnings.AddRange(config.Warnings);
        foreach (var opt in config.Options) ctx.Map(opt);
        foreach (var req in KnownOptions.Required.Where(r => config[r] is null))
            ctx.Result.Warnings.Add(new(ErrorCodes.ImportRequiredMissing, $"required option '{req}' is not set; the composeproj needs {KnownOptions.Find(req)!.PropertyName} (or its item) before it composes", new SourcePos(config.Path, 0, 0)));
        ctx.Result.ProjectXml = Render(config, options, ctx.Result);
        return ctx.Result;
    }

    /// <summary>Writes the composeproj (and the copied inputs) atomically. Throws PUNGI1225 when it cannot.</summary>
    public static void Write(ImportResult result, ImportOptions options)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;
            Directory.CreateDirectory(dir);
            foreach (var (src, dest) in result.Copies)
                if (!string.Equals(Path.GetFullPath(src), Path.GetFullPath(dest), StringComparison.Ordinal))
                    File.Copy(src, dest, overwrite: true);
            var tmp = options.OutputPath + ".tmp";
            File.WriteAllText(tmp, result.ProjectXml, new UTF8Encoding(false));
            File.Move(tmp, options.OutputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.ImportOutputFailed, $"cannot write {options.OutputPath}: {e.Message}", options.OutputPath, inner: e);
        }
    }

    private sealed class Context(PungiConfigFile config, ImportOptions options)
    {
        public ImportResult Result { get; } = new();
        private readonly string _outDir = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!;

        private void Warn(string code, string message, SourcePos pos) => Result.Warnings.Add(new(code, message, pos));

        private void Keep(ConfigOption o, string code, string reason)
        {
            Result.Comments.Add(new KeptComment(o.Name, o.Value.ToPython(), reason, o.Pos));
            Warn(code, $"'{o.Name}' {reason}; kept as a comment in the composeproj", o.Pos);
        }

        private void Prop(ConfigOption o, string value)
        {
            var name = Naming.Pascal(o.Name);
            if (ComposeprojSchema.FindProperty(name) is null) WarnNotRead(o, $"a {name} property");
            Result.Properties.Add(new(name, value, o.Name, o.Pos));
        }

        private readonly HashSet<string> _warnedNotRead = new(StringComparer.Ordinal);

        /// <summary>
        /// DESIGN.md §3 maps every known option, but a property or item no phase reads would look honoured while
        /// changing nothing: it is written (the translation stays complete) and named in a warning, once per option.
        /// </summary>
        private void WarnNotRead(ConfigOption o, string what)
        {
            if (_warnedNotRead.Add(o.Name))
                Warn(ErrorCodes.ImportNotRead, $"'{o.Name}' becomes {what}, which no phase of Pungi.Build reads: it has no effect", o.Pos);
        }

        private void Item(ConfigOption o, string type, string include, SourcePos pos, params (string Key, string Value)[] meta)
        {
            if (include.Length == 0)
            {
                // MSBuild rejects an empty Include (MSB4035): keep the entry visible instead
                Result.Comments.Add(new KeptComment(o.Name, $"<empty value> ({string.Join(", ", meta.Select(m => m.Key + "=" + m.Value))})", "has an empty value, which no item can carry", pos));
                Warn(ErrorCodes.ImportUnmappable, $"'{o.Name}' has an empty value at this entry; kept as a comment in the composeproj", pos);
                return;
            }
            if (ComposeprojSchema.FindItem(type) is null) WarnNotRead(o, $"{type} items");
            Result.Items.Add(new(type, include, meta.Select(m => new KeyValuePair<string, string>(m.Key, m.Value)).ToList(), o.Name, pos));
        }

        public void Map(ConfigOption o)
        {
            var known = KnownOptions.Find(o.Name);
            if (known is null)
            {
                var guess = KnownOptions.Suggest(o.Name);
                Keep(o, ErrorCodes.ImportUnknownOption, guess is null
                    ? "is not a Pungi 4.3.6 option"
                    : $"is not a Pungi 4.3.6 option (did you mean '{guess}'?)");
                return;
            }
            try
            {
                MapKnown(o, known);
            }
            catch (ShapeMismatch m)
            {
                Keep(o, ErrorCodes.ImportBadOptionValue, $"does not fit the schema ({m.Message})");
            }
        }

        private void MapKnown(ConfigOption o, KnownOption k)
        {
            var v = o.Value;
            if (MapBackendChoice(o, v)) return;
            switch (k.Shape)
            {
                case OptionShape.Deprecated:
                    Keep(o, ErrorCodes.ImportDeprecatedOption, "is deprecated and has no effect upstream");
                    return;
                case OptionShape.Str:
                    if (v is PyNone) { Prop(o, ""); return; }
                    if (v is not PyStr s) throw new ShapeMismatch($"expected a string, got {v.TypeName}");
                    Prop(o, s.Value);
                    return;
                case OptionShape.Bool:
                    if (v is not PyBool b) throw new ShapeMismatch($"expected True or False, got {v.TypeName}");
                    Prop(o, b.Value ? "true" : "false");
                    return;
                case OptionShape.Num:
                    if (v is not (PyInt or PyFloat)) throw new ShapeMismatch($"expected a number, got {v.TypeName}");
                    Prop(o, v.ToPython());
                    return;
                case OptionShape.StrOrNum:
                    if (v is not (PyInt or PyFloat or PyStr)) throw new ShapeMismatch($"expected a number or a string, got {v.TypeName}");
                    Prop(o, Scalar(v));
                    return;
                case OptionShape.StrList:
                    if (v is PyStr one) { Prop(o, one.Value); return; }
                    Prop(o, string.Join(";", List(v).Select(x => Scalar(x))));
                    return;
                case OptionShape.Scm:
                    if (v is PyStr path) { Prop(o, LocalPath(path.Value)); return; }
                    Keep(o, ErrorCodes.ImportUnmappable, "is an SCM dict; Pungi.Build reads local files only (check the file out and name its path)");
                    return;
                case OptionShape.Map:
                    MapMapping(o, k, v);
                    return;
                case OptionShape.ScalarOrMap:
                    if (v is not PyList) Prop(o, Scalar(v));
                    else if (o.Name == "iso_level") MapIsoLevel(o, v);
                    else MapMapping(o, k, v);
                    return;
                case OptionShape.ArchDict:
                    foreach (var (arch, val) in StrDict(v))
                        foreach (var x in val is PyList ? List(val) : [val])
                            Item(o, k.ItemName!, k.IsPath ? Repository(o, Scalar(x), x.Pos) : Scalar(x), x.Pos, ("Arch", arch));
                    return;
                case OptionShape.VDict:
                    if (v is PyList) { MapMapping(o, k, v); return; } // the legacy [(regex, {arch: dict})] form
                    foreach (var (variant, val) in StrDict(v))
                        foreach (var d in val is PyList ? List(val) : [val])
                            DictItem(o, k, d, [("Variant", variant)]);
                    return;
                case OptionShape.Dict:
                    foreach (var (key, val) in StrDict(v))
                    {
                        if (k.ValueMeta is not null) Item(o, k.ItemName!, key, val.Pos, (k.ValueMeta, Scalar(val)));
                        else Item(o, k.ItemName!, Scalar(val), val.Pos, (k.KeyMeta!, key));
                    }
                    return;
                case OptionShape.ScalarOrDict:
                    if (v is PyDict) goto case OptionShape.Dict;
                    Prop(o, Scalar(v));
                    return;
                case OptionShape.Pairs:
                    foreach (var pair in List(v))
                    {
                        var p = List(pair);
                        if (p.Count != 2) throw new ShapeMismatch($"expected pairs, got an entry with {p.Count} values");
                        Item(o, k.ItemName!, Scalar(p[0]), pair.Pos, (k.KeyMeta!, Scalar(p[1])));
                    }
                    return;
                case OptionShape.VariantLists:
                    foreach (var (variant, val) in StrDict(v))
                        foreach (var x in List(val)) Item(o, k.ItemName!, Scalar(x), x.Pos, ("Variant", variant));
                    return;
                case OptionShape.Special:
                    MapSpecial(o, k);
                    return;
            }
        }

        private void MapSpecial(ConfigOption o, KnownOption k)
        {
            var v = o.Value;
            switch (o.Name)
            {
                case "variants_file" or "comps_file":
                    if (v is not PyStr file)
                    {
                        Keep(o, ErrorCodes.ImportUnmappable, "is an SCM dict; Pungi.Build reads local files only (check the file out and name its path)");
                        return;
                    }
                    var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(config.Path)!, file.Value));
                    if (!File.Exists(full))
                    {
                        if (options.CopyInputs)
                            throw new PungiException(ErrorCodes.ImportMissingInput, $"{o.Name} '{file.Value}' does not exist ({full}); --copy-inputs cannot copy it", o.Pos.File, o.Pos.Line, o.Pos.Column);
                        Warn(ErrorCodes.ImportMissingInput, $"{o.Name} '{file.Value}' does not exist ({full}); referenced anyway", o.Pos);
                    }
                    if (options.CopyInputs)
                    {
                        var dest = Path.Combine(_outDir, Path.GetFileName(full));
                        Result.Copies.Add((full, dest));
                        Item(o, k.ItemName!, Path.GetFileName(full), o.Pos);
                    }
                    else Item(o, k.ItemName!, LocalPath(file.Value), o.Pos);
                    return;
                case "sigkeys":
                    // DESIGN.md §3: [None] is Sigkeys empty; None among keys is 'none' (unsigned allowed)
                    var keys = List(v);
                    if (keys.Count == 0) throw new ShapeMismatch("sigkeys needs at least one item");
                    Prop(o, keys.All(x => x is PyNone) ? "" : string.Join(";", keys.Select(x => x is PyNone ? "none" : Scalar(x))));
                    return;
                case "gather_method":
                    if (v is PyStr m) { Prop(o, m.Value); return; }
                    MapGatherMethodDict(o, v);
                    return;
            }
        }

        /// <summary>
        /// Upstream's tool switches: the one that picks a backend Pungi.Build also has becomes its property; a value that
        /// names what the build always does is kept as a comment without a warning; another tool is warned about.
        /// </summary>
        private bool MapBackendChoice(ConfigOption o, PyValue v)
        {
            switch (o.Name, v)
            {
                case ("createiso_use_xorrisofs", PyBool b):
                    if (b.Value) Result.Properties.Add(new("IsoBackend", "xorriso", o.Name, o.Pos));
                    else Keep(o, ErrorCodes.ImportUnmappable, "asks for genisoimage, which is not ported; the native ISO writer is used (IsoBackend=native)");
                    return true;
                case ("gather_backend", PyStr { Value: "dnf" }) or ("createrepo_c", PyBool { Value: true }):
                    Result.Comments.Add(new KeptComment(o.Name, v.ToPython(), "is what Pungi.Build always does", o.Pos));
                    return true;
                case ("gather_backend", _) or ("createrepo_c", _):
                    Keep(o, ErrorCodes.ImportUnmappable, "asks for a tool Pungi.Build does not port (gathering is always DNF-style, repodata createrepo_c-equal)");
                    return true;
                case ("repoclosure_backend", PyStr { Value: "yum" }):
                    Keep(o, ErrorCodes.ImportUnmappable, "asks for yum's repoclosure, which is not ported (RepoclosureBackend is native or dnf)");
                    return true;
                default:
                    return false;
            }
        }

        private static bool MatchesEveryVariant(string regex) => regex is ".*" or "^.*" or ".*$" or "^.*$";

        /// <summary>
        /// gather_method's dict form <c>{variant_regex: method | {source: method}}</c> (spec §3.3). The build reads one
        /// <c>$(GatherMethod)</c> for every variant and gathers one source (comps, or json), so the dict becomes that
        /// property only when every entry gives the gathered sources (comps, json) the same method and one entry covers
        /// every variant: then whichever regex wins upstream, the method is the same. A different method for the
        /// module source (which only has content for variants with &lt;modules&gt;; the build gathers none) cannot be
        /// written down: the option is also kept as a comment with a warning. Anything narrower stays a comment only.
        /// </summary>
        private void MapGatherMethodDict(ConfigOption o, PyValue v)
        {
            var gathered = new HashSet<string>(StringComparer.Ordinal);
            var module = new HashSet<string>(StringComparer.Ordinal);
            bool everyVariant = false, otherSource = false;
            foreach (var (regex, val) in StrDict(v))
            {
                everyVariant |= MatchesEveryVariant(regex);
                if (val is PyDict perSource)
                {
                    foreach (var (source, sourceMethod) in StrDict(perSource))
                    {
                        if (source is "comps" or "json") gathered.Add(Scalar(sourceMethod));
                        else if (source == "module") module.Add(Scalar(sourceMethod));
                        else otherSource = true;
                    }
                }
                else
                {
                    // one method for every source of the matching variants
                    gathered.Add(Scalar(val));
                    module.Add(Scalar(val));
                }
            }
            if (!everyVariant || gathered.Count != 1 || otherSource)
            {
                Keep(o, ErrorCodes.ImportUnmappable, "sets the gather method per variant or per source; the build reads one GatherMethod for every variant (set <GatherMethod> by hand)");
                return;
            }
            var method = gathered.First();
            Prop(o, method);
            if (module.Any(x => x != method))
                Keep(o, ErrorCodes.ImportUnmappable, $"gives the module source a method other than '{method}' (GatherMethod, from the comps/json sources); the build gathers no modules, so that part has no form");
        }

        /// <summary>
        /// iso_level's mapping form. Createiso reads one <c>$(IsoLevel)</c> for every ISO, so only a mapping that gives
        /// every variant and arch the same level becomes the property. Upstream's get_arch_variant_data leaves 'src' out
        /// of '*', so "every arch" needs both '*' and 'src'. Anything narrower stays a comment with a warning.
        /// </summary>
        private void MapIsoLevel(ConfigOption o, PyValue v)
        {
            var levels = new HashSet<string>(StringComparer.Ordinal);
            var arches = new HashSet<string>(StringComparer.Ordinal);
            bool everyVariant = true;
            foreach (var entry in List(v))
            {
                var pair = List(entry);
                if (pair.Count != 2 || pair[0] is not PyStr regex || pair[1] is not PyDict perArch)
                    throw new ShapeMismatch("expected (variant_regex, {arch: value}) entries");
                everyVariant &= regex.Value is ".*" or "^.*" or ".*$" or "^.*$";
                foreach (var (arch, level) in StrDict(perArch)) { arches.Add(arch); levels.Add(Scalar(level)); }
            }
            if (everyVariant && levels.Count == 1 && arches.Contains("*") && arches.Contains("src"))
                Prop(o, levels.First());
            else
                Keep(o, ErrorCodes.ImportUnmappable, "sets the ISO level per variant or arch; Createiso reads one IsoLevel property for every ISO (set <IsoLevel> by hand)");
        }

        /// <summary><c>[(variant_regex, {arch: value})]</c> → items with Variant and Arch; list values give an item each.</summary>
        private void MapMapping(ConfigOption o, KnownOption k, PyValue v)
        {
            foreach (var entry in List(v))
            {
                var pair = List(entry);
                if (pair.Count != 2 || pair[0] is not PyStr regex || pair[1] is not PyDict arches)
                    throw new ShapeMismatch("expected (variant_regex, {arch: value}) entries");
                foreach (var (arch, val) in StrDict(arches))
                {
                    foreach (var x in val is PyList ? List(val) : [val])
                    {
                        if (x is PyDict) DictItem(o, k, x, [("Variant", regex.Value), ("Arch", arch)]);
                        else Item(o, k.ItemName!, k.IsPath ? Repository(o, Scalar(x), x.Pos) : Scalar(x), x.Pos, ("Variant", regex.Value), ("Arch", arch));
                    }
                }
            }
        }

        /// <summary>One dict → one item: Include its natural name, every other key PascalCase metadata (nested joined by '_').</summary>
        private void DictItem(ConfigOption o, KnownOption k, PyValue d, (string, string)[] leading)
        {
            if (d is not PyDict dict) throw new ShapeMismatch($"expected a dict, got {d.TypeName}");
            var flat = new List<(string Path, string Key, PyValue Value)>();
            Flatten(dict, "", "", flat, 0);
            string? include = null;
            string? naturalPath = null;
            foreach (var nk in k.NaturalKeys ?? [])
            {
                var hit = flat.FirstOrDefault(f => f.Path == nk);
                if (hit.Value is not null) { include = Scalar(hit.Value); naturalPath = nk; break; }
            }
            // no natural name: the variant pattern names the item (it is what the entry applies to)
            include ??= leading[0].Item2;
            var meta = new List<(string, string)>(leading);
            foreach (var f in flat.Where(f => f.Path != naturalPath))
            {
                var name = f.Key;
                if (ReservedMetadata.Contains(name)) name += "_";
                // a dict key 'variant'/'arch' must not hide ours, and 'a_b'/'a-b' both give 'AB': never a duplicate attribute
                var unique = name;
                for (int n = 2; meta.Any(m => string.Equals(m.Item1, unique, StringComparison.OrdinalIgnoreCase)); n++)
                    unique = n == 2 ? "Config_" + name : $"Config_{name}_{n}";
                name = unique;
                meta.Add((name, f.Value is PyList l && l.Items.All(IsScalar)
                    ? string.Join(";", l.Items.Select(x => Scalar(x)))
                    : IsScalar(f.Value) ? Scalar(f.Value) : f.Value.ToPython()));
            }
            Item(o, k.ItemName!, include, d.Pos, [.. meta]);
        }

        private static void Flatten(PyDict d, string path, string key, List<(string, string, PyValue)> into, int depth)
        {
            foreach (var (name, val) in StrDict(d))
            {
                var p = path.Length == 0 ? name : path + "." + name;
                var m = key.Length == 0 ? Naming.Pascal(name) : key + "_" + Naming.Pascal(name);
                if (val is PyDict nested && depth < ConfigLimits.MaxDepth) Flatten(nested, p, m, into, depth + 1);
                else into.Add((p, m, val));
            }
        }

        private static bool IsScalar(PyValue v) => v is PyStr or PyInt or PyFloat or PyBool or PyNone;

        private static string Scalar(PyValue v) => v switch
        {
            PyStr s => s.Value,
            PyBool b => b.Value ? "true" : "false",
            PyNone => "",
            PyInt or PyFloat => v.ToPython(),
            _ => throw new ShapeMismatch($"expected a single value, got {v.TypeName}"),
        };

        private static IReadOnlyList<PyValue> List(PyValue v)
            => v is PyList l ? l.Items : throw new ShapeMismatch($"expected a list, got {v.TypeName}");

        private static IEnumerable<(string Key, PyValue Value)> StrDict(PyValue v)
        {
            if (v is not PyDict d) throw new ShapeMismatch($"expected a dict, got {v.TypeName}");
            foreach (var e in d.Entries)
                yield return (e.Key is PyStr s ? s.Value : e.Key.ToPython(), e.Value);
        }

        /// <summary>
        /// A repository (pkgset_repos, gather_lookaside_repos) as <see cref="LocalPath"/> writes it; a local one that does
        /// not exist is warned (PUNGI1226) and referenced anyway, as a missing variants or comps file is.
        /// </summary>
        private string Repository(ConfigOption o, string value, SourcePos pos)
        {
            if (value.Length > 0 && !value.Contains("://", StringComparison.Ordinal))
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(config.Path)!, value));
                if (!Directory.Exists(full) && !File.Exists(full))
                    Warn(ErrorCodes.ImportMissingInput, $"{o.Name} '{value}' does not exist ({full}); referenced anyway", pos);
            }
            return LocalPath(value);
        }

        /// <summary>A path relative to the config's folder, rewritten relative to the composeproj's folder; URLs unchanged.</summary>
        private string LocalPath(string value)
        {
            if (value.Length == 0 || value.Contains("://", StringComparison.Ordinal)) return value;
            var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(config.Path)!, value));
            var rel = Path.GetRelativePath(_outDir, full);
            if (value.EndsWith('/') && !rel.EndsWith('/')) rel += "/";
            return rel;
        }
    }

    private sealed class ShapeMismatch(string message) : Exception(message);

    // ---------------------------------------------------------------- XML

    private static string Render(PungiConfigFile config, ImportOptions options, ImportResult r)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", OmitXmlDeclaration = true, Encoding = new UTF8Encoding(false) };
        using (var sw = new StringWriter(sb, CultureInfo.InvariantCulture))
        using (var w = XmlWriter.Create(sw, settings))
        {
            w.WriteStartElement("Project");
            string? sdkDir = null;
            if (options.SdkPath is null) w.WriteAttributeString("Sdk", SdkReference);
            else sdkDir = SdkDir(options);
            w.WriteComment($" Imported by pungi-build import from {Path.GetFileName(config.Path)}; DESIGN.md §3 maps each option. ");
            if (sdkDir is not null)
            {
                w.WriteStartElement("Import");
                w.WriteAttributeString("Project", Path.Combine(sdkDir, "Sdk.props"));
                w.WriteEndElement();
            }
            if (r.Properties.Count > 0)
            {
                w.WriteStartElement("PropertyGroup");
                foreach (var p in r.Properties)
                {
                    w.WriteStartElement(p.Name);
                    w.WriteString(Escape.Property(p.Value));
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            if (r.Items.Count > 0)
            {
                w.WriteStartElement("ItemGroup");
                foreach (var it in r.Items)
                {
                    w.WriteStartElement(it.Type);
                    w.WriteAttributeString("Include", Escape.Include(it.Include));
                    foreach (var m in it.Metadata) w.WriteAttributeString(m.Key, Escape.Metadata(m.Value));
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            foreach (var c in r.Comments)
                w.WriteComment(CommentSafe($" {c.Option} ({Path.GetFileName(c.Pos.File)} line {c.Pos.Line}) {c.Reason}: {c.Option} = {c.PythonText} "));
            if (sdkDir is not null)
            {
                w.WriteStartElement("Import");
                w.WriteAttributeString("Project", Path.Combine(sdkDir, "Sdk.targets"));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>The folder with Sdk.props, relative to the composeproj: accepts targets/Sdk or the targets folder above it.</summary>
    private static string SdkDir(ImportOptions options)
    {
        var dir = Path.GetFullPath(options.SdkPath!);
        if (!File.Exists(Path.Combine(dir, "Sdk.props")) && File.Exists(Path.Combine(dir, "Sdk", "Sdk.props")))
            dir = Path.Combine(dir, "Sdk");
        return Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!, dir);
    }

    private static string CommentSafe(string s)
    {
        var t = s.Replace("--", "- -", StringComparison.Ordinal);
        while (t.Contains("--", StringComparison.Ordinal)) t = t.Replace("--", "- -", StringComparison.Ordinal);
        return t.EndsWith('-') ? t + " " : t;
    }
}

/// <summary>MSBuild escaping (%XX) of imported text so that MSBuild reads back exactly the config's value.</summary>
public static class Escape
{
    // '%' always (MSBuild unescapes %XX); $( @( %( would expand; ';' separates list elements.
    private static string Common(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '%') sb.Append("%25");
            else if (c == '$' && next == '(') sb.Append("%24");
            else if (c == '@' && next == '(') sb.Append("%40");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A property value (a list property keeps ';' as its separator).</summary>
    public static string Property(string s) => Common(s);

    /// <summary>Metadata values are neither split nor globbed.</summary>
    public static string Metadata(string s) => Common(s);

    /// <summary>An Include: wildcards would glob the file system, ';' would split it.</summary>
    public static string Include(string s)
        => Common(s).Replace("*", "%2A", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);
}
