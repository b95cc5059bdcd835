using Pungi.Build.Diagnostics;
using Pungi.Build.PungiConfig;

namespace Pungi.Build.Tests.Import;

/// <summary>DESIGN.md §3's mapping rules, each worked out by hand from the rule, and the hand-written dummy-local translation.</summary>
public sealed class ImportMappingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-import-tests", Guid.NewGuid().ToString("N")[..8]);

    public ImportMappingTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static string PungiRef => Path.Combine(TestPaths.Shared, "reference", "pungi");

    private ImportResult Import(string text, ImportOptions? options = null)
        => ComposeprojImporter.Import(PungiConfigReader.ReadText(text, Path.Combine(_dir, "pungi.conf")),
            options ?? new ImportOptions(Path.Combine(_dir, "distro.composeproj")));

    private static ComposeprojSemantics Sem(ImportResult r) => ComposeprojSemantics.Parse(r.ProjectXml);

    [Fact]
    public void DummyLocal_EqualsTheHandWrittenComposeproj()
    {
        // DESIGN.md §8: the hand-written composeproj of the import issue is the translation of dummy-local.conf
        var result = ComposeprojImporter.Import(Path.Combine(PungiRef, "dummy-local.conf"),
            new ImportOptions(Path.Combine(PungiRef, "distro.composeproj"))); // not written: only fixes where relative paths start
        var expected = ComposeprojSemantics.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "Import", "Expected", "dummy-local.composeproj")));
        var actual = Sem(result);
        Assert.Equal(expected.Properties, actual.Properties);
        Assert.Equal(expected.Items, actual.Items);
        // iso_level's src-only mapping has no form Createiso reads: the one warning and comment
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(ErrorCodes.ImportUnmappable, warning.Code);
        Assert.Contains("iso_level", warning.Message);
        // createrepo_c = True and gather_backend = "dnf" name what the build always does: comments without a warning
        Assert.Equal(["createrepo_c", "gather_backend", "iso_level"], result.Comments.Select(c => c.Option).Order(StringComparer.Ordinal));
        Assert.StartsWith("<Project Sdk=\"Pungi.Build.Sdk/1.0.0\">", result.ProjectXml);
    }

    [Fact]
    public void OptionsNoPhaseReads_AreWrittenAndWarned_BackendSwitchesMapToTheBuildsOwn()
    {
        // createiso_use_xorrisofs = True is upstream's "xorrisofs instead of genisoimage": the xorriso ISO backend;
        // repoclosure_backend = "dnf" runs upstream's dnf repoclosure; an option nothing reads is written and warned once.
        var conf = Path.Combine(Path.GetTempPath(), $"pungi-import-{Guid.NewGuid():N}.conf");
        File.WriteAllText(conf, """
            release_name = "X"
            release_short = "X"
            release_version = "1"
            createiso_use_xorrisofs = True
            repoclosure_backend = "dnf"
            symlink_isos_to = "/mnt/isos"
            runroot_ssh_hostnames = {"x86_64": "a", "s390x": "b"}
            gather_backend = "yum"
            """);
        try
        {
            var result = ComposeprojImporter.Import(conf, new ImportOptions(Path.ChangeExtension(conf, ".composeproj")));
            var s = Sem(result);
            Assert.Equal("xorriso", s.Properties["IsoBackend"]);
            Assert.Equal("dnf", s.Properties["RepoclosureBackend"]);
            Assert.Equal("/mnt/isos", s.Properties["SymlinkIsosTo"]);
            var notRead = result.Warnings.Where(w => w.Code == ErrorCodes.ImportNotRead).Select(w => w.Message).ToList();
            Assert.Equal(2, notRead.Count); // one per option, not one per item
            Assert.Contains(notRead, m => m.Contains("'symlink_isos_to'", StringComparison.Ordinal));
            Assert.Contains(notRead, m => m.Contains("'runroot_ssh_hostnames'", StringComparison.Ordinal));
            Assert.Contains(result.Warnings, w => w.Code == ErrorCodes.ImportUnmappable && w.Message.Contains("'gather_backend'", StringComparison.Ordinal));
            Assert.False(s.Properties.ContainsKey("GatherBackend"));
        }
        finally
        {
            File.Delete(conf);
        }
    }

    [Fact]
    public void ExamplePungiConf_GatherMethodDict_BecomesTheProperty_ModuleMethodWarned()
    {
        // spec §3.3: {"^.*$": {"module": "nodeps", "comps": "deps"}} gathers comps with deps for every variant; the
        // build reads one GatherMethod, and the module source's nodeps has no form (a comment and PUNGI1221)
        var result = ComposeprojImporter.Import(Path.Combine(PungiRef, "example-pungi.conf"), new ImportOptions(Path.Combine(PungiRef, "x.composeproj")));
        var s = Sem(result);
        Assert.Equal("deps", s.Properties["GatherMethod"]);
        Assert.DoesNotContain(s.Items, i => i.StartsWith("GatherMethod ", StringComparison.Ordinal));
        Assert.Equal("gather_method", Assert.Single(result.Comments).Option);
        Assert.Contains(result.Warnings, w => w.Code == ErrorCodes.ImportUnmappable && w.Message.Contains("'gather_method'", StringComparison.Ordinal) && w.Message.Contains("module", StringComparison.Ordinal));
        Assert.Contains("ExtraIso 'extra-{filename}' IncludeVariants=Client Variant=^Server$", s.Items);
        // the two referenced files and the "repo" directory are not shipped beside upstream's example: warned, still referenced
        Assert.Equal(3, result.Warnings.Count(w => w.Code == ErrorCodes.ImportMissingInput));
        Assert.Contains("VariantsFile 'dummy-variants.xml' ", s.Items);
    }

    [Theory]
    // one method for every source and variant: the property, nothing kept
    [InlineData("""{"^.*$": "nodeps"}""", "nodeps", false)]
    [InlineData("""{".*": {"comps": "deps", "module": "deps"}}""", "deps", false)]
    // every entry agrees, one covers every variant: whichever regex wins upstream, the method is the same
    [InlineData("""{"^Server$": {"comps": "deps"}, "^.*$": {"comps": "deps"}}""", "deps", false)]
    // per-variant methods, no entry for every variant, or comps and json disagreeing: only a comment
    [InlineData("""{"^Server$": "deps", "^.*$": "nodeps"}""", null, true)]
    [InlineData("""{"^Server$": "deps"}""", null, true)]
    [InlineData("""{"^.*$": {"comps": "deps", "json": "nodeps"}}""", null, true)]
    public void GatherMethodDict_MapsOnlyWhenOneMethodHoldsForEveryVariant(string dict, string? property, bool kept)
    {
        var r = Import($"gather_method = {dict}\n");
        var s = Sem(r);
        Assert.Equal(property, s.Properties.GetValueOrDefault("GatherMethod"));
        Assert.DoesNotContain(s.Items, i => i.StartsWith("GatherMethod ", StringComparison.Ordinal));
        Assert.Equal(kept, r.Comments.Any(c => c.Option == "gather_method"));
        Assert.Equal(kept, r.Warnings.Any(w => w.Code == ErrorCodes.ImportUnmappable));
    }

    [Fact]
    public void Scalars_BecomePascalCaseProperties_BooleansLowercase_ListsJoined()
    {
        var s = Sem(Import("""
            release_name = "Fedora"
            createrepo_checksum = 'sha512'
            link_type = "hardlink"
            check_deps = True
            gather_fulltree = False
            createrepo_num_workers = 5
            iso_size = "4.7G"
            tree_arches = ['x86_64', 'aarch64']
            media_checksums = ['sha256']
            pkgset_koji_tag = 'f40'
            runroot_channel = None
            sigkeys = ['abcd1234', None]
            """));
        Assert.Equal("Fedora", s.Properties["ReleaseName"]);
        Assert.Equal("sha512", s.Properties["CreaterepoChecksum"]);
        Assert.Equal("hardlink", s.Properties["LinkType"]);
        Assert.Equal("true", s.Properties["CheckDeps"]);
        Assert.Equal("false", s.Properties["GatherFulltree"]);
        Assert.Equal("5", s.Properties["CreaterepoNumWorkers"]);
        Assert.Equal("4.7G", s.Properties["IsoSize"]);
        Assert.Equal("x86_64;aarch64", s.Properties["TreeArches"]);
        Assert.Equal("sha256", s.Properties["MediaChecksums"]);
        Assert.Equal("f40", s.Properties["PkgsetKojiTag"]);
        Assert.DoesNotContain("RunrootChannel", s.Properties.Keys);
        // DESIGN.md §3: None among sigkeys is 'none' (unsigned packages allowed)
        Assert.Equal("abcd1234;none", s.Properties["Sigkeys"]);
    }

    [Fact]
    public void VariantArchMappings_BecomeItems_WithVariantAndArch()
    {
        var s = Sem(Import("""
            additional_packages = [('^Server$', {'x86_64': ['a', 'b*'], '*': 'c'})]
            createiso_max_size = [('^Everything$', {'*': 4000000000})]
            buildinstall_skip = [('^Client$', {'s390x': True})]
            repoclosure_strictness = [('^.*$', {'*': 'off'})]
            lorax_options = [('^Server$', {'x86_64': {'nomacboot': False, 'add_template': ['a.tmpl', 'b.tmpl']}})]
            """));
        Assert.Equal(
        [
            "AdditionalPackage 'a' Arch=x86_64 Variant=^Server$",
            "AdditionalPackage 'b*' Arch=x86_64 Variant=^Server$",
            "AdditionalPackage 'c' Arch=* Variant=^Server$",
            "BuildinstallSkip 'true' Arch=s390x Variant=^Client$",
            "CreateisoMaxSize '4000000000' Arch=* Variant=^Everything$",
            // no natural name: the variant pattern names the item; dict keys become metadata
            "LoraxOption '^Server$' AddTemplate=a.tmpl;b.tmpl Arch=x86_64 Nomacboot=false Variant=^Server$",
            "RepoclosureStrictness 'off' Arch=* Variant=^.*$",
        ], s.Items);
    }

    [Fact]
    public void Wildcards_AreEscaped_SoMSBuildDoesNotGlob()
    {
        var r = Import("filter_packages = [('^.*$', {'*': ['kernel-*', 'x?y', 'p%q', '$(Evil)']})]\n");
        Assert.Contains("Include=\"kernel-%2A\"", r.ProjectXml);
        Assert.Contains("Include=\"x%3Fy\"", r.ProjectXml);
        Assert.Contains("Include=\"p%25q\"", r.ProjectXml);
        Assert.Contains("Include=\"%24(Evil)\"", r.ProjectXml);
        // metadata is not globbed: the regex stays readable
        Assert.Contains("Variant=\"^.*$\"", r.ProjectXml);
        Assert.Contains("FilterPackage 'kernel-*' Arch=* Variant=^.*$", Sem(r).Items);
    }

    [Fact]
    public void ArchDicts_AndRepositories_RelativeToTheComposeproj()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "out"));
        var s = Sem(Import("""
            pkgset_repos = {'x86_64': ['repos/x86_64', '/srv/abs'], '*': 'https://example.com/repo/'}
            multilib_whitelist = {'*': ['glibc'], 'ppc64': 'libgcc'}
            gather_lookaside_repos = [('^Server$', {'*': 'lookaside/'})]
            runroot_ssh_hostnames = {'x86_64': 'builder1'}
            """, new ImportOptions(Path.Combine(_dir, "out", "distro.composeproj"))));
        Assert.Contains("PackageRepository '../repos/x86_64' Arch=x86_64", s.Items);
        Assert.Contains($"PackageRepository '{Path.GetRelativePath(Path.Combine(_dir, "out"), "/srv/abs")}' Arch=x86_64", s.Items);
        Assert.Contains("PackageRepository 'https://example.com/repo/' Arch=*", s.Items);
        Assert.Contains("MultilibWhitelist 'glibc' Arch=*", s.Items);
        Assert.Contains("MultilibWhitelist 'libgcc' Arch=ppc64", s.Items);
        Assert.Contains("GatherLookasideRepo '../lookaside/' Arch=* Variant=^Server$", s.Items);
        Assert.Contains("RunrootSshHostname 'builder1' Arch=x86_64", s.Items);
    }

    [Fact]
    public void MissingLocalRepositories_AreWarned_UrlsAndExistingOnesNot()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rpms"));
        var r = Import("""
            pkgset_repos = {'*': ['rpms', 'https://example.com/repo/', 'gone']}
            gather_lookaside_repos = [('^Server$', {'*': 'lookaside/'})]
            """);
        Assert.Equal(["pkgset_repos 'gone'", "gather_lookaside_repos 'lookaside/'"],
            r.Warnings.Where(w => w.Code == ErrorCodes.ImportMissingInput).Select(w => w.Message[..w.Message.IndexOf(" does not", StringComparison.Ordinal)]));
        Assert.Contains("PackageRepository 'gone' Arch=*", Sem(r).Items); // referenced anyway
    }

    [Fact]
    public void ListsOfDicts_OneItemPerDict_NaturalNameAndFlattenedKeys()
    {
        var s = Sem(Import("""
            image_build = {
                '^Server$': [{
                    'image-build': {'format': ['qcow2', 'raw-xz'], 'name': 'Fedora-Cloud', 'kickstart': 'cloud.ks', 'distro': 'Fedora-20'},
                    'factory-parameters': {'ova-option': 'x'},
                }],
            }
            live_media = {'^Workstation$': {'name': 'Fedora-Live', 'kickstart': 'ws.ks', 'arches': ['x86_64']}}
            ostree = {'^Atomic$': [{'treefile': 'atomic.json', 'config_url': 'https://g/x.git', 'repo': ['a', 'b']}]}
            osbuild = {'^IoT$': [{'name': 'iot', 'image_types': ['iot-raw-image']}]}
            kiwibuild = {'^Cloud$': [{'kiwi_profile': 'Cloud-Base', 'target': 'f40'}]}
            extra_files = [('^.*$', {'*': [{'scm': 'git', 'repo': 'https://g/r.git', 'file': 'GPL', 'target': ''}]})]
            """));
        Assert.Contains("ImageBuild 'cloud.ks' FactoryParameters_OvaOption=x ImageBuild_Distro=Fedora-20 ImageBuild_Format=qcow2;raw-xz ImageBuild_Name=Fedora-Cloud Variant=^Server$", s.Items);
        Assert.Contains("LiveMedia 'ws.ks' Arches=x86_64 Name=Fedora-Live Variant=^Workstation$", s.Items);
        Assert.Contains("Ostree 'atomic.json' ConfigUrl=https://g/x.git Repo=a;b Variant=^Atomic$", s.Items);
        Assert.Contains("Osbuild 'iot' ImageTypes=iot-raw-image Variant=^IoT$", s.Items);
        Assert.Contains("Kiwibuild 'Cloud-Base' Target=f40 Variant=^Cloud$", s.Items);
        Assert.Contains("ExtraFile 'GPL' Arch=* Repo=https://g/r.git Scm=git Variant=^.*$", s.Items);
    }

    [Fact]
    public void VolumeIdSubstitutions_IncludeIsTheTextToReplace_ValueTheReplacement()
    {
        // upstream get_volid applies volume_id_substitutions as {text: replacement}; Createiso reads
        // @(VolumeIdSubstitution->'%(Identity)|%(Value)'), so the key must be the Include
        var s = Sem(Import("volume_id_substitutions = {'Beta': 'B', 'Rawhide': 'rawh'}\n"));
        Assert.Contains("VolumeIdSubstitution 'Beta' Value=B", s.Items);
        Assert.Contains("VolumeIdSubstitution 'Rawhide' Value=rawh", s.Items);
    }

    [Fact]
    public void IsoLevel_ScalarOrUniformMapping_IsTheProperty_PerVariantMappingIsAComment()
    {
        // iso_level: scalar → IsoLevel. Mapping form: get_arch_variant_data leaves 'src' out of '*', so only a
        // match-all regex with both '*' and 'src' at one level means "every ISO"; Createiso reads one $(IsoLevel).
        Assert.Equal("3", Sem(Import("iso_level = 3\n")).Properties["IsoLevel"]);
        var uniform = Import("iso_level = [('^.*$', {'*': 4, 'src': 4})]\n");
        Assert.Equal("4", Sem(uniform).Properties["IsoLevel"]);
        Assert.DoesNotContain(uniform.Warnings, w => w.Code == ErrorCodes.ImportUnmappable);
        foreach (var narrow in new[] { "[('^.*$', {'*': 4})]", "[('^Server$', {'*': 4, 'src': 4})]", "[('.*', {'*': 3, 'src': 4})]" })
        {
            var r = Import($"iso_level = {narrow}\n");
            Assert.DoesNotContain("IsoLevel", Sem(r).Properties.Keys);
            Assert.DoesNotContain(Sem(r).Items, i => i.StartsWith("IsoLevel", StringComparison.Ordinal));
            Assert.Single(r.Warnings, w => w.Code == ErrorCodes.ImportUnmappable && w.Message.Contains("iso_level"));
            Assert.Contains("iso_level", r.ProjectXml); // kept as a comment
        }
    }

    [Fact]
    public void ReservedMetadataNames_GetASuffix()
    {
        // 'extension' would be MSBuild's well-known %(Extension), which a project may not set
        var r = Import("osbuild = {'^X$': [{'name': 'n', 'extension': 'qcow2'}]}\n");
        Assert.Contains("Extension_=\"qcow2\"", r.ProjectXml);
    }

    [Fact]
    public void CollidingKeys_AndEmptyValues_StayWellFormed()
    {
        var r = Import("osbuild = {'^X$': [{'name': 'n', 'a_b': '1', 'a-b': '2', 'variant': 'v'}]}\nadditional_packages = [('^X$', {'*': ['', 'ok']})]\n");
        var s = Sem(r);
        Assert.Contains("Osbuild 'n' AB=1 Config_AB=2 Config_Variant=v Variant=^X$", s.Items);
        Assert.Contains("AdditionalPackage 'ok' Arch=* Variant=^X$", s.Items);
        Assert.Single(r.Comments, c => c.Option == "additional_packages");
    }

    [Fact]
    public void MisspelledOption_NamesTheClosestKnownOne_AndStaysAsAComment()
    {
        var r = Import("release_name = 'X'\nrelase_short = 'X'\ncreaterepo_chcksum = 'sha1'\ntotally_new_thing = 1\n");
        var w1 = Assert.Single(r.Warnings, w => w.Message.Contains("relase_short", StringComparison.Ordinal));
        Assert.Equal(ErrorCodes.ImportUnknownOption, w1.Code);
        Assert.Contains("did you mean 'release_short'?", w1.Message);
        Assert.Equal(2, w1.Pos!.Value.Line);
        Assert.Contains(r.Warnings, w => w.Message.Contains("did you mean 'createrepo_checksum'?", StringComparison.Ordinal));
        var w3 = Assert.Single(r.Warnings, w => w.Message.Contains("totally_new_thing", StringComparison.Ordinal));
        Assert.DoesNotContain("did you mean", w3.Message);
        Assert.Contains("relase_short = 'X'", r.ProjectXml);
        Assert.Contains("<!--", r.ProjectXml);
        Assert.DoesNotContain("RelaseShort", Sem(r).Properties.Keys);
    }

    [Fact]
    public void UnmappableDeprecatedAndMistypedOptions_AreCommentsWithWarnings()
    {
        var r = Import("""
            variants_file = {'scm': 'git', 'repo': 'https://pagure.io/pungi-fedora', 'file': 'variants.xml'}
            runroot = False
            check_deps = 'yes'
            osbs_registries = {'foo-*': [{'url': 'https://r'}]}
            """);
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.ImportUnmappable && w.Message.Contains("'variants_file'", StringComparison.Ordinal) && w.Pos!.Value.Line == 1);
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.ImportDeprecatedOption && w.Message.Contains("'runroot'", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.ImportBadOptionValue && w.Message.Contains("'check_deps'", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Code == ErrorCodes.ImportBadOptionValue && w.Message.Contains("'osbs_registries'", StringComparison.Ordinal));
        Assert.Equal(["check_deps", "osbs_registries", "runroot", "variants_file"], r.Comments.Select(c => c.Option).Order());
        Assert.Contains("variants_file = {'scm': 'git', 'repo': 'https://pagure.io/pungi-fedora', 'file': 'variants.xml'}", r.ProjectXml);
        Assert.DoesNotContain(Sem(r).Properties, p => p.Key is "CheckDeps" or "Runroot");
        // the comments leave the document well-formed even with '--' in a value
        var r2 = Import("createrepo_extra_args = ['--update', '--deltas']\nfoo_bar = '--x--'\n");
        Assert.Equal("--update;--deltas", Sem(r2).Properties["CreaterepoExtraArgs"]);
    }

    [Fact]
    public void RequiredOptionsMissing_AreWarned()
    {
        var r = Import("release_name = 'X'\n");
        Assert.Equal(["gather_method", "pkgset_source", "release_short", "release_version", "variants_file"],
            r.Warnings.Where(w => w.Code == ErrorCodes.ImportRequiredMissing).Select(w => w.Message.Split('\'')[1]).Order());
        // no line to point at: the file alone
        Assert.StartsWith(Path.Combine(_dir, "pungi.conf") + ": warning PUNGI1227:", r.Warnings.First(w => w.Code == ErrorCodes.ImportRequiredMissing).ToString());
    }

    [Fact]
    public void SdkPathMode_ImportsTheSdkFilesByRelativePath()
    {
        var sdk = Path.Combine(TestPaths.RepoRoot, "targets");
        var outPath = Path.Combine(_dir, "distro.composeproj");
        var r = Import("release_name = 'X'\n", new ImportOptions(outPath, SdkPath: sdk));
        var rel = Path.GetRelativePath(_dir, Path.Combine(sdk, "Sdk"));
        Assert.StartsWith("<Project>", r.ProjectXml);
        Assert.Contains($"<Import Project=\"{Path.Combine(rel, "Sdk.props")}\" />", r.ProjectXml);
        Assert.Contains($"<Import Project=\"{Path.Combine(rel, "Sdk.targets")}\" />", r.ProjectXml);
        Assert.True(r.ProjectXml.IndexOf("Sdk.props", StringComparison.Ordinal) < r.ProjectXml.IndexOf("<PropertyGroup>", StringComparison.Ordinal));
        Assert.True(r.ProjectXml.IndexOf("Sdk.targets", StringComparison.Ordinal) > r.ProjectXml.IndexOf("</PropertyGroup>", StringComparison.Ordinal));
    }
}
