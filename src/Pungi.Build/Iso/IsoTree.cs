using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

internal enum IsoNodeKind { Directory, File, Symlink }

/// <summary>The bytes of one regular file, shared by every hard link to it (same device and inode on disk).</summary>
internal sealed class IsoFileData
{
    public required string SourcePath { get; init; }
    /// <summary>Bytes made by the writer (the boot catalog) instead of a file on disk.</summary>
    public byte[]? Synthetic { get; set; }
    public required long Size { get; init; }
    public uint Links { get; set; }
    public long Lba { get; set; }
    /// <summary>Serial number written to PX (RRIP 1.12 file serial): equal for hard links.</summary>
    public uint Serial { get; set; }
}

/// <summary>One entry of the image tree (the union of the source tree and the grafts).</summary>
internal sealed class IsoNode
{
    public IsoNode(string name, IsoNodeKind kind, IsoNode? parent)
    {
        Name = name;
        Kind = kind;
        Parent = parent;
    }

    public string Name { get; }
    public IsoNodeKind Kind { get; set; }
    public IsoNode? Parent { get; }
    public uint Mode { get; set; }
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public DateTime MtimeUtc { get; set; }
    public string? LinkTarget { get; set; }
    public IsoFileData? Data { get; set; }
    public uint Serial { get; set; }

    /// <summary>Children by name (ordinal), directories only.</summary>
    public SortedDictionary<string, IsoNode> Children { get; } = new(StringComparer.Ordinal);

    // ---- layout, filled by the writer ----
    public byte[] IsoId { get; set; } = [];
    public byte[] JolietId { get; set; } = [];
    public List<IsoNode> IsoOrder { get; set; } = [];
    public List<IsoNode> JolietOrder { get; set; } = [];
    public long IsoLba { get; set; }
    public long IsoSize { get; set; }
    public long JolietLba { get; set; }
    public long JolietSize { get; set; }

    public bool IsDirectory => Kind == IsoNodeKind.Directory;
    public long FileSize => Kind == IsoNodeKind.File ? Data!.Size : 0;

    public string IsoPath => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.IsoPath + "/" + Name;

}

/// <summary>Reads the source tree and the grafts into <see cref="IsoNode"/>s, finding hard links by device and inode.</summary>
internal sealed class IsoTreeBuilder
{
    private readonly Dictionary<(ulong Dev, ulong Ino), IsoFileData> _inodes = [];
    private readonly HashSet<string> _exclude;
    private readonly DateTime _clamp;
    private readonly CancellationToken _ct;

    public IsoTreeBuilder(IEnumerable<string> exclude, DateTime clampUtc, CancellationToken ct)
    {
        _exclude = new HashSet<string>(exclude.Select(Normalize), StringComparer.Ordinal);
        _clamp = clampUtc;
        _ct = ct;
    }

    public IsoNode Root { get; } = new("", IsoNodeKind.Directory, null) { Mode = 0x1ED };

    /// <summary>Only these relative file paths of the tree (a split disc); directories left empty are dropped.</summary>
    public IReadOnlySet<string>? IncludeOnly { get; init; }

    /// <summary>The newest modification time seen (for a volume time taken from the tree).</summary>
    public DateTime Newest { get; private set; }

    public void AddTree(string directory)
    {
        if (!Directory.Exists(directory))
            throw new PungiException(ErrorCodes.IsoSourceMissing, $"ISO source directory '{directory}' does not exist", directory);
        var st = UnixFileInfo.Lstat(directory);
        Apply(Root, st);
        AddChildren(Root, directory, "");
    }

    public void AddGraft(string isoPath, string fsPath)
    {
        if (IncludeOnly is not null)
        {
            // Grafts always go on the disc: lift the filter while adding them.
            var saved = _filterOn;
            _filterOn = false;
            try { AddGraftCore(isoPath, fsPath); }
            finally { _filterOn = saved; }
            return;
        }
        AddGraftCore(isoPath, fsPath);
    }

    private bool _filterOn = true;

    private void AddGraftCore(string isoPath, string fsPath)
    {
        string rel = Normalize(isoPath);
        var parts = rel.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!File.Exists(fsPath) && !Directory.Exists(fsPath) && new FileInfo(fsPath).LinkTarget is null)
            throw new PungiException(ErrorCodes.IsoSourceMissing, $"graft point '{isoPath}={fsPath}': source does not exist", fsPath);
        var dir = Root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!dir.Children.TryGetValue(parts[i], out var next) || !next.IsDirectory)
            {
                next = new IsoNode(parts[i], IsoNodeKind.Directory, dir) { Mode = 0x1ED, MtimeUtc = Root.MtimeUtc == default ? (_clamp == DateTime.MaxValue ? Newest : _clamp) : Root.MtimeUtc };
                dir.Children[parts[i]] = next;
            }
            dir = next;
        }
        if (parts.Length == 0)
        {
            AddChildren(Root, fsPath, "");
            return;
        }
        AddEntry(dir, parts[^1], fsPath, string.Join('/', parts));
    }

    private void AddChildren(IsoNode dir, string fsDir, string relDir)
    {
        // Ordinal order makes inode serials and hence the image independent of readdir order.
        var names = Directory.EnumerateFileSystemEntries(fsDir).Select(Path.GetFileName).OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal);
        foreach (var name in names)
        {
            _ct.ThrowIfCancellationRequested();
            AddEntry(dir, name, Path.Combine(fsDir, name), relDir.Length == 0 ? name : relDir + "/" + name);
        }
    }

    private void AddEntry(IsoNode dir, string name, string fsPath, string rel)
    {
        if (_exclude.Contains(rel)) return;
        var st = UnixFileInfo.Lstat(fsPath);
        switch (st.Kind)
        {
            case UnixFileKind.Directory:
            {
                if (!dir.Children.TryGetValue(name, out var sub) || !sub.IsDirectory)
                {
                    sub = new IsoNode(name, IsoNodeKind.Directory, dir);
                    dir.Children[name] = sub;
                }
                Apply(sub, st);
                AddChildren(sub, fsPath, rel);
                if (IncludeOnly is not null && _filterOn && sub.Children.Count == 0) dir.Children.Remove(name);
                break;
            }
            case UnixFileKind.File:
            {
                if (IncludeOnly is not null && _filterOn && !IncludeOnly.Contains(rel)) return;
                var node = new IsoNode(name, IsoNodeKind.File, dir);
                Apply(node, st);
                node.Data = DataFor(fsPath, st);
                dir.Children[name] = node;
                break;
            }
            case UnixFileKind.Symlink:
            {
                if (IncludeOnly is not null && _filterOn && !IncludeOnly.Contains(rel)) return;
                var node = new IsoNode(name, IsoNodeKind.Symlink, dir) { LinkTarget = new FileInfo(fsPath).LinkTarget ?? "" };
                Apply(node, st);
                dir.Children[name] = node;
                break;
            }
            default:
                // Devices, sockets and FIFOs have no place on an installation medium; mkisofs would need -R device
                // records (PN) for them, which Pungi trees never contain.
                break;
        }
    }

    private IsoFileData DataFor(string path, UnixFileInfo st)
    {
        if (st.Nlink > 1 && st.Inode != 0 && _inodes.TryGetValue((st.Device, st.Inode), out var shared))
        {
            shared.Links++;
            return shared;
        }
        var data = new IsoFileData { SourcePath = path, Size = st.Size, Links = 1 };
        if (st.Nlink > 1 && st.Inode != 0) _inodes[(st.Device, st.Inode)] = data;
        return data;
    }

    private void Apply(IsoNode node, UnixFileInfo st)
    {
        node.Mode = st.Mode;
        node.Uid = st.Uid;
        node.Gid = st.Gid;
        node.MtimeUtc = st.MtimeUtc > _clamp ? _clamp : st.MtimeUtc;
        if (node.MtimeUtc > Newest) Newest = node.MtimeUtc;
    }

    internal static string Normalize(string isoPath) => string.Join('/', isoPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
}
