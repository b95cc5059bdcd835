using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Variants;

/// <summary>Compose.get_ordered_variant_uids with variant_as_lookaside (spec §1.5).</summary>
public class VariantOrderTests
{
    private static readonly VariantModel Model = VariantModel.FromInline(
    [
        new InlineVariant { Include = "BaseOS", Arches = ["x86_64"] },
        new InlineVariant { Include = "AppStream", Arches = ["x86_64"] },
        new InlineVariant { Include = "CRB", Arches = ["x86_64"] },
        new InlineVariant { Include = "HA", Arches = ["x86_64"] },
        new InlineVariant { Include = "Extra", Arches = ["x86_64"] },
    ]);

    [Fact]
    public void Unmentioned_first_then_lookasides_before_their_users()
    {
        // AppStream uses BaseOS; CRB uses AppStream and BaseOS; HA uses AppStream.
        var order = VariantOrder.Ordered(Model, [("AppStream", "BaseOS"), ("CRB", "AppStream"), ("CRB", "BaseOS"), ("HA", "AppStream")]);
        Assert.Equal(["Extra", "BaseOS", "AppStream", "CRB", "HA"], order);
    }

    [Fact]
    public void No_pairs_is_alphabetical()
        => Assert.Equal(["AppStream", "BaseOS", "CRB", "Extra", "HA"], VariantOrder.Ordered(Model, []));

    [Fact]
    public void Cycles_and_unknown_variants_are_PUNGI1011()
    {
        Assert.Equal(ErrorCodes.VariantLookasideCycle, Assert.Throws<PungiException>(() => VariantOrder.Ordered(Model, [("A", "BaseOS")])).Code);
        Assert.Equal(ErrorCodes.VariantLookasideCycle,
            Assert.Throws<PungiException>(() => VariantOrder.Ordered(Model, [("AppStream", "BaseOS"), ("BaseOS", "CRB"), ("CRB", "AppStream")])).Code);
    }

    [Fact]
    public void Unmatched_config_patterns_are_reported()
        => Assert.Equal(["^Server$"], ConfigLookup.UnmatchedPatterns(["^BaseOS$", "^Server$", ".*", "App"], Model));
    /// <summary>
    /// Upstream's config check of variant_as_lookaside: the requiring variant's arches must all be arches of the
    /// variant it looks aside to (it is gathered against that variant's packages of the same arch).
    /// </summary>
    [Fact]
    public void A_lookaside_variant_must_have_every_arch_of_the_variant_using_it()
    {
        var model = VariantModel.FromInline(
        [
            new InlineVariant { Include = "BaseOS", Arches = ["x86_64"] },
            new InlineVariant { Include = "AppStream", Arches = ["x86_64", "aarch64"] },
        ]);
        VariantOrder.Validate(model, [("BaseOS", "AppStream")]);
        var e = Assert.Throws<PungiException>(() => VariantOrder.Validate(model, [("AppStream", "BaseOS")]));
        Assert.Equal(ErrorCodes.VariantLookasideArches, e.Code);
        Assert.Contains("aarch64", e.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.VariantLookasideCycle, Assert.Throws<PungiException>(() => VariantOrder.Validate(model, [("AppStream", "Nope")])).Code);
    }
}
