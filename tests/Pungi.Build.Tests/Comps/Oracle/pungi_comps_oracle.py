#!/usr/bin/python3
"""Reference oracle for the comps tests: runs the two steps Pungi runs (spec 4.2 and 4.3) on the *real*
libraries Pungi uses - lxml for comps_filter, libcomps to read and xml.dom.minidom to write the variant file -
so the C# port's bytes can be compared with theirs. Written for this project from the spec; needs Debian's
python3-lxml and python3-libcomps (run with /usr/bin/python3).

  oracle filter IN OUT --arch A [--variant V] [--no-cleanup] [--keep-empty-group P]... [--lookaside-group G]...
                [--arch-only-packages] [--arch-only-groups] [--arch-only-environments] [--remove-categories]
                [--remove-langpacks] [--remove-translations] [--remove-environments]
  oracle variant IN OUT SPEC.json      (IN is a comps_filter output; SPEC has uid, arch, type, groups,
                                        environments, has_modules, filter_environments)
  oracle batch JOBS.json               (a JSON list of argument lists for the two commands above, run in order
                                        in one process to save interpreter start-ups)
"""
import argparse, collections, fnmatch, json, re, sys
import xml.dom.minidom

def split(value):
    return [v for v in re.split(r"[, ]+", value) if v]

def by_attr(tree, xpath, attr, value, only):
    if only:
        for e in tree.xpath("%s[not(@%s)]" % (xpath, attr)):
            e.getparent().remove(e)
    for e in tree.xpath("%s[@%s]" % (xpath, attr)):
        if value in split(e.attrib[attr]):
            del e.attrib[attr]
        else:
            e.getparent().remove(e)

def do_filter(a):
    import lxml.etree
    tree = lxml.etree.parse(a.input, parser=lxml.etree.XMLParser(remove_blank_text=True))
    # Fedora .xml.in: treat _name/_description as intltool-merge would (without translations).
    for e in tree.xpath("//*[starts-with(local-name(), '_')]"):
        e.tag = e.tag[1:]
    for xp, only in (("/comps/group/packagelist/packagereq", a.arch_only_packages),
                     ("/comps/group", a.arch_only_groups),
                     ("/comps/environment", a.arch_only_environments)):
        by_attr(tree, xp, "arch", a.arch, only)
        if a.variant:
            by_attr(tree, xp, "variant", a.variant, only)
    if not a.no_cleanup:
        for g in tree.xpath("/comps/group"):
            if not g.xpath("packagelist/packagereq"):
                gid = g.xpath("id/text()")[0]
                if not any(fnmatch.fnmatch(gid, p) for p in a.keep_empty_group):
                    g.getparent().remove(g)
        groups = tree.xpath("/comps/group/id/text()")
        for c in tree.xpath("/comps/category"):
            for g in c.xpath("grouplist/groupid"):
                if g.text not in groups:
                    g.getparent().remove(g)
        for c in tree.xpath("/comps/category"):
            if not c.xpath("grouplist/groupid"):
                c.getparent().remove(c)
        known = groups + a.lookaside_group
        for env in tree.xpath("/comps/environment"):
            for tag in ("grouplist", "optionlist"):
                for g in env.xpath("%s/groupid" % tag):
                    if g.text not in known:
                        g.getparent().remove(g)
                for g in env.xpath("%s/groupid[@arch]" % tag):
                    if a.arch not in split(g.attrib["arch"]):
                        g.getparent().remove(g)
        for env in tree.xpath("/comps/environment"):
            if not env.xpath("grouplist/groupid"):
                env.getparent().remove(env)
    for flag, xp in ((a.remove_categories, "/comps/category"), (a.remove_langpacks, "/comps/langpacks"),
                     (a.remove_translations, "//*[@xml:lang]"), (a.remove_environments, "/comps/environment")):
        if flag:
            for e in tree.xpath(xp):
                e.getparent().remove(e)
    with open(a.output, "wb") as f:
        tree.write(f, pretty_print=True, xml_declaration=True, encoding="utf-8")
        f.write(b"\n")

def do_variant(a):
    import libcomps
    spec = json.load(open(a.spec))
    comps = libcomps.Comps()
    comps.fromxml_f(a.input)
    groups = spec["groups"]
    unmatched = []
    if groups or spec.get("has_modules") or spec["type"] != "variant":
        match = lambda gid, d: fnmatch.fnmatch(gid, d["name"]) if d.get("glob") else gid == d["name"]
        drop = []
        for g in comps.groups:
            for d in groups:
                if match(g.id, d):
                    if d.get("default") is not None: g.default = d["default"]
                    if d.get("uservisible") is not None: g.uservisible = d["uservisible"]
                    break
            else:
                drop.append(g)
        for g in drop:
            comps.groups.remove(g)
        for d in groups:
            if not any(match(g.id, d) for g in comps.groups):
                unmatched.append(d["name"])
    if spec.get("filter_environments", True) and (groups or spec["environments"]):
        drop = []
        for e in comps.environments:
            for d in spec["environments"]:
                if e.id == d["name"]:
                    if d.get("display_order") is not None: e.display_order = d["display_order"]
                    break
            else:
                drop.append(e)
        for e in drop:
            comps.environments.remove(e)
    doc = generate(comps, libcomps)
    with open(a.output, "wb") as f:
        f.write(doc.toprettyxml(indent="  ", encoding="UTF-8"))
    for u in unmatched:
        print("UNMATCHED %s %s" % (a.output, u))

def generate(comps, libcomps):
    types = collections.OrderedDict([(libcomps.PACKAGE_TYPE_MANDATORY, "mandatory"), (libcomps.PACKAGE_TYPE_DEFAULT, "default"),
                                     (libcomps.PACKAGE_TYPE_OPTIONAL, "optional"), (libcomps.PACKAGE_TYPE_CONDITIONAL, "conditional")])
    impl = xml.dom.minidom.getDOMImplementation()
    doc = impl.createDocument(None, "comps", impl.createDocumentType("comps", "-//Red Hat, Inc.//DTD Comps info//EN", "comps.dtd"))
    root = doc.documentElement

    def add(parent, tag, text=None, lang=None, **attrs):
        n = doc.createElement(tag)
        if text:
            n.appendChild(doc.createTextNode(text))
        if lang:
            n.setAttribute("xml:lang", lang)
        for k in sorted(attrs):
            n.setAttribute(k, attrs[k])
        parent.appendChild(n)
        return n

    def common(parent, obj, force=False):
        add(parent, "id", obj.id)
        add(parent, "name", obj.name)
        for lang in sorted(obj.name_by_lang):
            add(parent, "name", obj.name_by_lang[lang], lang=lang)
        if obj.desc or force:
            add(parent, "description", obj.desc or "")
            for lang in sorted(obj.desc_by_lang):
                add(parent, "description", obj.desc_by_lang[lang], lang=lang)

    def glist(parent, ids, name="grouplist"):
        n = doc.createElement(name)
        for g in sorted(ids, key=lambda x: x.name):
            add(n, "groupid", g.name, **({"default": "true"} if g.default else {}))
        parent.appendChild(n)

    for g in sorted(comps.groups, key=lambda x: x.id):
        gn = add(root, "group")
        common(gn, g, True)
        add(gn, "default", "true" if g.default else "false")
        add(gn, "uservisible", "true" if g.uservisible else "false")
        if g.lang_only:
            add(gn, "langonly", g.lang_only)
        pl = doc.createElement("packagelist")
        by = collections.defaultdict(list)
        for p in g.packages:
            if p.type == libcomps.PACKAGE_TYPE_UNKNOWN:
                sys.exit("unknown type %s in %s" % (p.name, g.id))
            by[types[p.type]].append(p)
        for t in types.values():
            for p in sorted(by[t], key=lambda x: x.name):
                kw = {"type": t}
                if t == "conditional":
                    kw["requires"] = p.requires
                add(pl, "packagereq", p.name, **kw)
        gn.appendChild(pl)
    ids = set(g.id for g in comps.groups)
    for c in comps.categories:
        gs = set(g for g in c.group_ids if g.name in ids)
        if not gs:
            continue
        cn = add(root, "category")
        common(cn, c)
        if c.display_order is not None:
            add(cn, "display_order", str(c.display_order))
        glist(cn, gs)
    for e in sorted(comps.environments, key=lambda x: x.id):
        gs = set(e.group_ids)
        if not gs:
            continue
        en = add(root, "environment")
        common(en, e)
        if e.display_order is not None:
            add(en, "display_order", str(e.display_order))
        glist(en, gs)
        if e.option_ids:
            glist(en, set(e.option_ids), "optionlist")
    if comps.langpacks:
        ln = add(root, "langpacks")
        for name in sorted(comps.langpacks):
            add(ln, "match", name=name, install=comps.langpacks[name])
    return doc

p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd")
f = sub.add_parser("filter")
f.add_argument("input"); f.add_argument("output"); f.add_argument("--arch", required=True); f.add_argument("--variant")
for flag in ("no-cleanup", "arch-only-packages", "arch-only-groups", "arch-only-environments", "remove-categories",
             "remove-langpacks", "remove-translations", "remove-environments"):
    f.add_argument("--" + flag, action="store_true")
f.add_argument("--keep-empty-group", action="append", default=[])
f.add_argument("--lookaside-group", action="append", default=[])
v = sub.add_parser("variant")
v.add_argument("input"); v.add_argument("output"); v.add_argument("spec")
def run(argv):
    a = p.parse_args(argv)
    do_filter(a) if a.cmd == "filter" else do_variant(a)

if len(sys.argv) == 3 and sys.argv[1] == "batch":
    for job in json.load(open(sys.argv[2])):
        run(job)
else:
    run(sys.argv[1:])
