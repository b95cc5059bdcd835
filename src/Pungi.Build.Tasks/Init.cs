using Microsoft.Build.Framework;
using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// Init phase (spec §2.1, §4): the comps file copied to <c>work/global</c>, filtered per arch and per variant.arch
/// (<c>work/&lt;arch&gt;/comps/comps-&lt;V&gt;.&lt;arch&gt;.xml</c>). Each file is rewritten only when its content
/// changes, so editing one group wakes only the variants that contain it.
/// </summary>
public sealed class Init : ComposePhaseTask
{
    public ITaskItem[] CompsFiles { get; set; } = [];
    /// <summary><c>comps_filter_environments</c>, default true.</summary>
    public string? CompsFilterEnvironments { get; set; }

    protected override void ExecutePhase()
    {
        if (CompsFiles.Length == 0)
        {
            Log.LogMessage(MessageImportance.Normal, "No CompsFile: Init has no comps to filter.");
            return;
        }
        var model = LoadModel();
        var layout = Layout;
        var compsFile = CompsFiles[0].GetMetadata("FullPath");
        if (!File.Exists(compsFile))
        {
            var (f, l, c) = ItemLocation.Find(CompsFiles[0], "CompsFile");
            throw new Diagnostics.PungiException(Diagnostics.ErrorCodes.CompsMalformedXml, $"The comps file '{compsFile}' does not exist.", f, l, c);
        }
        var pairs = LookasidePairs();
        var variants = model.All.Select(v => new VariantArches(Spec(v, model, pairs), v.Arches)).ToList();
        var result = CompsInit.Run(compsFile, layout.WorkDir, variants, !string.Equals(CompsFilterEnvironments, "false", StringComparison.OrdinalIgnoreCase));
        foreach (var d in result.Diagnostics)
            LogWarning(d.Code, d.Message, d.File, d.Line);
        int changed = result.Files.Count(f => f.Changed);
        LogProgress($"Init: {result.Files.Count} comps files, {changed} rewritten");
    }

    /// <param name="pairs"><c>variant_as_lookaside</c>: the lookaside variants' groups count as the variant's lookaside groups.</param>
    internal static VariantCompsSpec Spec(Variant v, VariantModel model, IReadOnlyList<(string Variant, string Lookaside)> pairs)
    {
        static IEnumerable<VariantGroupRef> Groups(Variant x)
            => x.Groups.Select(g => new VariantGroupRef(g.Name, g.Glob, g.Default, g.UserVisible, x.File, x.Line));
        var lookasideVariants = pairs.Where(p => p.Variant == v.Uid).Select(p => model.Find(p.Lookaside)).OfType<Variant>().Select(Groups);
        var lookaside = VariantCompsSpec.LookasideGroupsOf(v.Parent is null ? null : Groups(v.Parent), lookasideVariants);
        return new VariantCompsSpec(
            v.Uid,
            v.Type.ToName(),
            Groups(v).ToList(),
            v.Environments.Select(e => new VariantEnvironmentRef(e.Name, e.DisplayOrder, v.File, v.Line)).ToList(),
            v.Modules is not null || v.ModularKojiTags is not null,
            lookaside);
    }
}
