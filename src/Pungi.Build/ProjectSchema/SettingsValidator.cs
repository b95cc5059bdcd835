using System.Globalization;
using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;

namespace Pungi.Build.ProjectSchema;

/// <summary>One finding of the validation, at the file and line of the composeproj element that caused it.</summary>
public sealed record SettingDiagnostic(string Code, string Message, string? File, int Line, int Column, bool IsWarning = false);

/// <summary>An item as the project gave it: its type, Include, metadata and where it was written.</summary>
public sealed record SettingItem(string ItemType, string Include, IReadOnlyDictionary<string, string> Metadata, SourceLocation Location);

/// <summary>
/// Checks every property and item of a composeproj against <see cref="ComposeprojSchema"/> without doing any work
/// (Pungi's <c>checks.py</c> pass that runs before any phase): types and allowed values, regexes, files and
/// repositories, variant references and the comps groups variants name. Every problem is reported, not only the first.
/// </summary>
public sealed class SettingsValidator
{
    private readonly List<SettingDiagnostic> _found = [];

    public IReadOnlyList<SettingDiagnostic> Diagnostics => _found;

    /// <summary>Checks one property value (empty means "use the default" and is always fine).</summary>
    public void CheckProperty(string name, string? value, SourceLocation where)
    {
        var spec = ComposeprojSchema.FindProperty(name);
        if (spec is null || string.IsNullOrWhiteSpace(value)) return;
        var v = value.Trim();
        switch (spec.Kind)
        {
            case ValueKind.Boolean:
                if (!IsBoolean(v))
                    Error(spec.Code ?? ErrorCodes.PropertyNotBoolean, $"{name} '{v}' is not a boolean: use true or false.", where);
                break;
            case ValueKind.Integer:
                if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < (spec.Min ?? int.MinValue) || n > (spec.Max ?? int.MaxValue))
                    Error(spec.Code ?? ErrorCodes.PropertyNotInteger, $"{name} '{v}' is not a whole number{Range(spec.Min, spec.Max)}.", where);
                break;
            case ValueKind.Choice:
                if (!spec.Values!.Contains(v, StringComparer.Ordinal))
                    Error(spec.Code ?? ErrorCodes.PropertyUnknownValue, $"{name} '{v}' is not one of {string.Join(", ", spec.Values!)}{DidYouMean(v, spec.Values!)}.", where);
                break;
            case ValueKind.ChoiceList:
                foreach (var part in Split(name == "SkipPhases" ? v.ToLowerInvariant() : v))
                    if (!spec.Values!.Contains(part, StringComparer.Ordinal))
                        Error(spec.Code ?? ErrorCodes.PropertyUnknownValue, $"{name}: '{part}' is not one of {string.Join(", ", spec.Values!)}{DidYouMean(part, spec.Values!)}.", where);
                break;
        }
        if (name == "TreeArches")
            foreach (var arch in Split(v).Where(a => !KnownArches.IsTreeArch(a)))
                Error(ErrorCodes.VariantUnknownArch, $"TreeArches: '{arch}' is no tree arch{DidYouMean(arch, KnownArches.Tree)}.", where);
    }

    /// <summary>Settings that only make sense together (media_checksum_one_file needs exactly one type).</summary>
    public void CheckCombinations(Func<string, string?> value, Func<string, SourceLocation> where)
    {
        if (IsTrue(value("MediaChecksumOneFile")) && !string.IsNullOrWhiteSpace(value("MediaChecksums")) && Split(value("MediaChecksums")!).Count != 1)
            Error(ErrorCodes.MediaChecksumOneFileNeedsOne, "MediaChecksumOneFile=true needs exactly one type in MediaChecksums.", where("MediaChecksumOneFile"));
    }

    /// <summary>Checks an item's Include and metadata; file items must exist (relative to <paramref name="projectDir"/>).</summary>
    public void CheckItem(SettingItem item, string projectDir)
    {
        var spec = ComposeprojSchema.FindItem(item.ItemType);
        if (spec is null) return;
        var where = item.Location;
        var include = item.Include;
        switch (spec.Include)
        {
            case ValueKind.Choice when spec.IncludeValues is not null:
                if (!spec.IncludeValues.Contains(include, StringComparer.Ordinal))
                    Error(spec.IncludeCode ?? ErrorCodes.PropertyUnknownValue,
                        $"{spec.Name} '{include}' is not one of {string.Join(", ", spec.IncludeValues)}{DidYouMean(include, spec.IncludeValues)}.", where);
                break;
            case ValueKind.Boolean:
                if (!IsBoolean(include))
                    Error(ErrorCodes.PropertyNotBoolean, $"{spec.Name} '{include}' is not a boolean: use true or false.", where);
                break;
            case ValueKind.Integer:
                if (!long.TryParse(include, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    Error(ErrorCodes.PropertyNotInteger, $"{spec.Name} '{include}' is not a whole number of bytes.", where);
                break;
            case ValueKind.Path:
                CheckPath(spec.Name, include, projectDir, where);
                break;
        }
        foreach (var m in spec.Metadata)
        {
            if (!item.Metadata.TryGetValue(m.Name, out var value) || string.IsNullOrEmpty(value)) continue;
            switch (m.Kind)
            {
                case ValueKind.Regex:
                    if (!TryRegex(value, out var error))
                        Error(m.Code ?? ErrorCodes.BadVariantPattern, $"{spec.Name} '{include}': {m.Name} '{value}' is not a valid regular expression ({error}).", where);
                    break;
                case ValueKind.Arch:
                    if (value != "*" && value != "src" && !KnownArches.IsTreeArch(value))
                        Error(ErrorCodes.VariantUnknownArch, $"{spec.Name} '{include}': Arch '{value}' is no tree arch (use an arch or *){DidYouMean(value, KnownArches.Tree)}.", where);
                    break;
                case ValueKind.Boolean:
                    if (!IsBoolean(value))
                        Error(ErrorCodes.PropertyNotBoolean, $"{spec.Name} '{include}': {m.Name} '{value}' is not a boolean: use true or false.", where);
                    break;
                case ValueKind.Choice when m.Values is not null:
                    if (!m.Values.Contains(value, StringComparer.Ordinal))
                        Error(m.Code ?? ErrorCodes.PropertyUnknownValue, $"{spec.Name} '{include}': {m.Name} '{value}' is not one of {string.Join(", ", m.Values)}{DidYouMean(value, m.Values)}.", where);
                    break;
            }
        }
    }

    /// <summary>
    /// Checks what refers to variants: each item's Variant regex matches at least one variant UID (as Pungi matches:
    /// <c>re.match</c>, anchored at the start), and TreeVariants names existing variants. <paramref name="model"/> is
    /// the unfiltered model, so a pattern for a variant TreeVariants leaves out is still fine.
    /// </summary>
    public void CheckVariantReferences(IEnumerable<SettingItem> items, VariantModel model, string? treeVariants, SourceLocation treeVariantsAt)
    {
        var uids = model.All.Select(v => v.Uid).ToList();
        foreach (var item in items)
        {
            var spec = ComposeprojSchema.FindItem(item.ItemType);
            if (spec is null || !spec.VariantArch) continue;
            if (!item.Metadata.TryGetValue("Variant", out var pattern) || string.IsNullOrEmpty(pattern) || !TryRegex(pattern, out _)) continue;
            if (!uids.Any(uid => ConfigLookup.PythonReMatch(pattern, uid)))
                Error(ErrorCodes.ItemVariantMatchesNothing,
                    $"{spec.Name} '{item.Include}': Variant '{pattern}' matches no variant (variants: {string.Join(", ", uids)}){DidYouMean(pattern.Trim('^', '$'), uids)}.", item.Location);
        }
        foreach (var uid in Split(treeVariants ?? "").Where(u => !uids.Contains(u)))
            Error(ErrorCodes.TreeVariantUnknown, $"TreeVariants: '{uid}' is no variant UID{DidYouMean(uid, uids)}.", treeVariantsAt);
    }

    /// <summary>Every comps group and environment a variant names (globs: at least one match) is in a comps file.</summary>
    public void CheckCompsReferences(VariantModel model, IReadOnlyList<CompsModel> comps)
    {
        var groups = comps.SelectMany(c => c.Groups.Select(g => g.Id)).ToHashSet(StringComparer.Ordinal);
        var environments = comps.SelectMany(c => c.Environments.Select(e => e.Id)).ToHashSet(StringComparer.Ordinal);
        foreach (var v in model.All)
        {
            var at = new SourceLocation(v.File, v.Line, 0);
            if (comps.Count == 0)
            {
                if (v.Groups.Count > 0 || v.Environments.Count > 0)
                    Error(ErrorCodes.VariantGroupsWithoutComps, $"Variant {v.Uid} names comps groups or environments but the project has no CompsFile.", at);
                continue;
            }
            foreach (var g in v.Groups)
            {
                bool found = g.Glob ? groups.Any(id => FnMatch.IsMatch(id, g.Name)) : groups.Contains(g.Name);
                if (!found)
                    Error(ErrorCodes.VariantGroupNotInComps, $"Variant {v.Uid} names comps group '{g.Name}', which no CompsFile defines{DidYouMean(g.Name, groups)}.", at);
            }
            foreach (var e in v.Environments.Where(e => !environments.Contains(e.Name)))
                Error(ErrorCodes.VariantEnvironmentNotInComps, $"Variant {v.Uid} names comps environment '{e.Name}', which no CompsFile defines{DidYouMean(e.Name, environments)}.", at);
        }
    }

    /// <summary>
    /// Reads the project file's own elements for near-misses of schema names (MSBuild silently accepts any name, so
    /// <c>&lt;ComposeTyp&gt;</c> would be ignored): a property or item type within two edits of a known one, and
    /// metadata a known item type does not read. Warnings, as projects may carry their own properties.
    /// </summary>
    public void CheckNames(IEnumerable<(string Kind, string Name, string? ItemType, SourceLocation Where)> elements)
    {
        var properties = ComposeprojSchema.Properties.Select(p => p.Name).ToList();
        var items = ComposeprojSchema.Items.Select(i => i.Name).ToList();
        foreach (var (kind, name, itemType, where) in elements)
        {
            if (kind == "property" && !properties.Contains(name, StringComparer.OrdinalIgnoreCase) && Closest(name, properties) is { } p)
                Warn(ErrorCodes.MisspelledProperty, $"Property {name} is not a composeproj property and is ignored; did you mean {p}?", where);
            else if (kind == "item" && !items.Contains(name, StringComparer.OrdinalIgnoreCase) && Closest(name, items) is { } i)
                Warn(ErrorCodes.MisspelledItem, $"Item type {name} is not a composeproj item and is ignored; did you mean {i}?", where);
            else if (kind == "metadata" && ComposeprojSchema.FindItem(itemType!) is { } spec
                     && !spec.Metadata.Any(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) && !ItemAttributes.Contains(name))
                Warn(ErrorCodes.UnknownMetadata,
                    $"{itemType} does not read metadata {name}{(spec.Metadata.Count == 0 ? " (it takes none)" : $" (it reads {string.Join(", ", spec.Metadata.Select(m => m.Name))})")}{DidYouMean(name, spec.Metadata.Select(m => m.Name))}.", where);
        }
    }

    private static readonly HashSet<string> ItemAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Include", "Exclude", "Remove", "Update", "Condition", "KeepMetadata", "RemoveMetadata", "KeepDuplicates",
        "MatchOnMetadata", "MatchOnMetadataOptions", "Label",
    };

    private void CheckPath(string itemType, string include, string projectDir, SourceLocation where)
    {
        var full = Path.GetFullPath(Path.Combine(projectDir, include));
        switch (itemType)
        {
            case "CompsFile" when !File.Exists(full):
                Error(ErrorCodes.CompsFileMissing, $"The comps file '{full}' does not exist.", where);
                break;
            case "PackageRepository" when !Directory.Exists(full):
                Error(ErrorCodes.PkgsetRepositoryMissing, $"The package repository '{full}' is not a directory.", where);
                break;
            case "GatherLookasideRepo" when !IsUrl(include) && !File.Exists(Path.Combine(full, "repodata", "repomd.xml")):
                Error(ErrorCodes.LookasideRepoMissing, $"The lookaside repository '{full}' has no repodata/repomd.xml.", where);
                break;
        }
    }

    private static bool IsUrl(string s) => s.Contains("://", StringComparison.Ordinal);

    private static bool IsBoolean(string v) => v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsTrue(string? v) => v?.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) == true;

    private static bool TryRegex(string pattern, out string error)
    {
        // The same translation of Python's re syntax the phases use, so what passes here compiles there.
        try
        {
            ConfigLookup.PythonReMatch(pattern, "");
            error = "";
            return true;
        }
        catch (PungiException e)
        {
            error = e.InnerException?.Message ?? e.Message;
            return false;
        }
    }

    private static List<string> Split(string v)
        => v.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Range(int? min, int? max) => (min, max) switch
    {
        (null, null) => "",
        ({ } lo, null) => $" (at least {lo})",
        (null, { } hi) => $" (at most {hi})",
        ({ } lo, { } hi) => $" from {lo} to {hi}",
    };

    private static string DidYouMean(string value, IEnumerable<string> candidates)
        => Closest(value, candidates) is { } c ? $" (did you mean '{c}'?)" : "";

    /// <summary>The candidate within two edits (case-insensitive) of <paramref name="value"/>, if one is that close.</summary>
    internal static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (var c in candidates)
        {
            int d = Distance(value.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance && !(d == 0 && c == value))
            {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int prev = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cur = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = cur;
            }
        }
        return row[b.Length];
    }

    private void Error(string code, string message, SourceLocation where)
        => _found.Add(new SettingDiagnostic(code, message, where.File, where.Line, where.Column));

    private void Warn(string code, string message, SourceLocation where)
        => _found.Add(new SettingDiagnostic(code, message, where.File, where.Line, where.Column, IsWarning: true));
}
