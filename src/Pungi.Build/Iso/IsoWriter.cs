using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pungi.Build.Diagnostics;

namespace Pungi.Build.Iso;

/// <summary>What was written.</summary>
public sealed record IsoWriteResult(string Path, long Size, string VolumeId, string? ImplantedMd5, int Directories, int Files);

/// <summary>
/// Writes an ISO 9660 image (Rock Ridge, Joliet, El Torito, isohybrid MBR/GPT, implanted md5) natively, in one
/// sequential pass: the whole layout is computed from the tree first, then every sector is written in order while
/// files are streamed from disk and the isomd5sum checksum is taken on the fly. The image goes to a temporary name
/// beside <c>outputPath</c> and is renamed into place, so a failed or cancelled write leaves no partial image.
/// </summary>
public static class IsoWriter
{
    /// <summary>Largest extent of a multi-extent file: 4 GiB minus one block, as libisofs splits (ISO level 3).</summary>
    internal const long MaxExtent = 0xFFFFF800L;
    private const int Padding = 150; // mkisofs -pad: 300 KiB so the 15 sectors implantisomd5 skips hold no data

    public static IsoWriteResult Write(IsoImageSpec spec, string outputPath, CancellationToken ct = default)
    {
        var plan = new IsoPlan(spec, ct);
        plan.Build();
        string full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp");
        try
        {
            string? md5 = plan.WriteTo(temp);
            File.Move(temp, full, overwrite: true);
            return new IsoWriteResult(full, plan.TotalSectors * IsoBinary.SectorSize, spec.VolumeId, md5, plan.DirectoryCount, plan.FileCount);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    private static bool HasSourceDateEpoch() => long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    /// <summary>The volume time: the spec's timestamp, else SOURCE_DATE_EPOCH, else now; whole seconds, UTC.</summary>
    internal static DateTime ResolveTime(DateTimeOffset? timestamp)
    {
        DateTime t;
        if (timestamp is { } ts) t = ts.UtcDateTime;
        else if (long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long epoch))
            t = DateTime.UnixEpoch.AddSeconds(epoch);
        else t = DateTime.UtcNow;
        return new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>Layout and writing of one image.</summary>
    private sealed class IsoPlan(IsoImageSpec spec, CancellationToken ct)
    {
        private DateTime _time = ResolveTime(spec.Timestamp);
        private readonly Dictionary<IsoNode, SuspArea> _su = [];
        private readonly Dictionary<IsoNode, SuspArea> _suDot = [];
        private readonly Dictionary<IsoNode, SuspArea> _suDotDot = [];
        private readonly List<SuspArea> _continuations = [];
        private readonly List<IsoFileData> _dataOrder = [];
        private List<IsoNode> _isoDirs = [];
        private List<IsoNode> _jolietDirs = [];
        private IsoNode _root = null!;
        private IsoFileData? _bios, _efi, _catalog;
        private long _isoPathTableSize, _jolietPathTableSize;
        private long _brLba, _svdLba, _termLba, _isoL, _isoM, _jolL, _jolM;
        private byte[] _systemArea = new byte[16 * IsoBinary.SectorSize];
        private byte[] _gptBackup = [];

        public long TotalSectors { get; private set; }
        public int DirectoryCount => _isoDirs.Count;
        public int FileCount { get; private set; }

        public void Build()
        {
            Validate();
            bool fromTree = spec.TimestampFromTree && spec.Timestamp is null && !HasSourceDateEpoch();
            var builder = new IsoTreeBuilder(spec.Exclude, fromTree ? DateTime.MaxValue : _time, ct) { IncludeOnly = spec.IncludeOnly };
            if (spec.SourceDirectory is not null) builder.AddTree(spec.SourceDirectory);
            foreach (var g in spec.Grafts) builder.AddGraft(g.IsoPath, g.FileSystemPath);
            _root = builder.Root;
            if (fromTree && builder.Newest != default)
            {
                var t = builder.Newest;
                _time = new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            }
            if (_root.MtimeUtc == default) _root.MtimeUtc = _time;
            SetUpBoot();
            AssignNames(_root);
            _isoDirs = Bfs(d => d.IsoOrder);
            if (spec.Joliet) _jolietDirs = Bfs(d => d.JolietOrder);
            uint serial = 0;
            AssignSerials(_root, ref serial);
            if (spec.RockRidge) BuildSystemUse();
            Layout();
        }

        private void Validate()
        {
            if (string.IsNullOrEmpty(spec.VolumeId) || spec.VolumeId.Length > 32)
                throw new PungiException(ErrorCodes.IsoVolumeIdInvalid, $"volume ID '{spec.VolumeId}' must have 1 to 32 characters (it has {spec.VolumeId?.Length ?? 0})");
            if (spec.IsoLevel is < 1 or > 3)
                throw new PungiException(ErrorCodes.IsoLevelInvalid, $"ISO level {spec.IsoLevel} is not 1, 2 or 3");
            if (spec.SourceDirectory is null && spec.Grafts.Count == 0)
                throw new PungiException(ErrorCodes.IsoSourceMissing, "the ISO image has neither a source directory nor graft points");
        }

        private void SetUpBoot()
        {
            var boot = spec.Boot;
            if (boot is null || (boot.BiosImage is null && boot.EfiImage is null)) return;
            _bios = boot.BiosImage is null ? null : FindFile(boot.BiosImage).Data;
            _efi = boot.EfiImage is null ? null : FindFile(boot.EfiImage).Data;
            var parts = IsoTreeBuilder.Normalize(boot.Catalog).Split('/');
            var dir = _root;
            foreach (var p in parts[..^1])
            {
                if (!dir.Children.TryGetValue(p, out var next) || !next.IsDirectory)
                {
                    next = new IsoNode(p, IsoNodeKind.Directory, dir) { Mode = 0x1ED, MtimeUtc = _time };
                    dir.Children[p] = next;
                }
                dir = next;
            }
            _catalog = new IsoFileData { SourcePath = "", Size = IsoBinary.SectorSize, Links = 1 };
            dir.Children[parts[^1]] = new IsoNode(parts[^1], IsoNodeKind.File, dir) { Mode = 0x1A4, MtimeUtc = _time, Data = _catalog };
        }

        private IsoNode FindFile(string path)
        {
            var node = _root;
            foreach (var p in IsoTreeBuilder.Normalize(path).Split('/'))
                if (!node.Children.TryGetValue(p, out node!)) break;
            if (node is null || node.Kind != IsoNodeKind.File || node.Data!.Size == 0)
                throw new PungiException(ErrorCodes.IsoBootImageMissing, $"boot image '{path}' is not a non-empty file in the ISO tree");
            return node;
        }

        private void AssignNames(IsoNode dir)
        {
            IsoNames.AssignIsoIds(dir, spec.IsoLevel);
            if (spec.Joliet) IsoNames.AssignJolietIds(dir, spec.JolietLong);
            var kids = dir.Children.Values.Where(c => c.Kind != IsoNodeKind.Symlink || spec.RockRidge).ToList();
            kids.Sort((a, b) => IsoNames.CompareIds(a.IsoId, b.IsoId, false));
            dir.IsoOrder = kids;
            if (spec.Joliet)
            {
                var j = dir.Children.Values.Where(c => c.Kind != IsoNodeKind.Symlink).ToList();
                j.Sort((a, b) => IsoNames.CompareIds(a.JolietId, b.JolietId, true));
                dir.JolietOrder = j;
            }
            foreach (var c in dir.Children.Values)
            {
                if (c.IsDirectory) AssignNames(c);
                else if (c.Kind == IsoNodeKind.File && c.Data!.Size > 0xFFFFFFFFL && spec.IsoLevel < 3)
                    throw new PungiException(ErrorCodes.IsoFileTooLarge, $"'{c.IsoPath}' is {c.Data.Size} bytes; files of 4 GiB and more need ISO level 3 (iso_level = 3)", c.Data.SourcePath);
            }
        }

        private List<IsoNode> Bfs(Func<IsoNode, List<IsoNode>> order)
        {
            var list = new List<IsoNode> { _root };
            for (int i = 0; i < list.Count; i++)
                list.AddRange(order(list[i]).Where(c => c.IsDirectory));
            return list;
        }

        private void AssignSerials(IsoNode dir, ref uint serial)
        {
            dir.Serial = ++serial;
            foreach (var c in dir.IsoOrder)
            {
                if (c.IsDirectory) AssignSerials(c, ref serial);
                else if (c.Kind == IsoNodeKind.File)
                {
                    if (c.Data!.Serial == 0) c.Data.Serial = ++serial;
                    c.Serial = c.Data.Serial;
                }
                else c.Serial = ++serial;
            }
        }

        // ---- Rock Ridge ----

        private uint RrMode(IsoNode n)
        {
            uint type = n.Kind switch { IsoNodeKind.Directory => 0x4000u, IsoNodeKind.Symlink => 0xA000u, _ => 0x8000u };
            uint perm = n.Mode & 0xFFF;
            if (n.Kind == IsoNodeKind.Symlink) perm = 0x1FF;
            else if (spec.RationalRock)
                perm = n.IsDirectory ? 0x16Du : (perm & 0x49) != 0 ? 0x16Du : 0x124u; // r-xr-xr-x or r--r--r--
            return type | perm;
        }

        private byte[] Px(IsoNode n)
        {
            uint links = n.Kind switch
            {
                IsoNodeKind.Directory => (uint)(2 + n.IsoOrder.Count(c => c.IsDirectory)),
                IsoNodeKind.File => n.Data!.Links,
                _ => 1u,
            };
            return RockRidge.PX(RrMode(n), links, spec.RationalRock ? 0 : n.Uid, spec.RationalRock ? 0 : n.Gid, n.Serial);
        }

        private void BuildSystemUse()
        {
            foreach (var dir in _isoDirs)
            {
                var dot = new List<byte[]>();
                if (dir == _root) dot.Add(RockRidge.SP());
                dot.Add(Px(dir));
                dot.Add(RockRidge.TF(dir.MtimeUtc));
                if (dir == _root) dot.Add(RockRidge.ER());
                _suDot[dir] = SuspArea.Pack(dot, Capacity(1), _continuations);
                var parent = dir.Parent ?? dir;
                _suDotDot[dir] = SuspArea.Pack([Px(parent), RockRidge.TF(parent.MtimeUtc)], Capacity(1), _continuations);
                foreach (var c in dir.IsoOrder)
                {
                    var entries = new List<byte[]> { Px(c), RockRidge.TF(c.MtimeUtc) };
                    entries.AddRange(RockRidge.NM(c.Name));
                    if (c.Kind == IsoNodeKind.Symlink) entries.AddRange(RockRidge.SL(c.LinkTarget ?? ""));
                    _su[c] = SuspArea.Pack(entries, Capacity(c.IsoId.Length), _continuations);
                }
            }
        }

        private static int BaseLength(int idLength) => 33 + idLength + (idLength % 2 == 0 ? 1 : 0);

        private static int Capacity(int idLength) => 254 - BaseLength(idLength);

        private static int RecordLength(int idLength, int suLength)
        {
            int len = BaseLength(idLength) + suLength;
            return len + (len & 1);
        }

        // ---- layout ----

        private static int ExtentCount(IsoNode n) => n.Kind == IsoNodeKind.File && n.Data!.Size > 0xFFFFFFFFL ? (int)((n.Data.Size + MaxExtent - 1) / MaxExtent) : 1;

        private IEnumerable<int> RecordLengths(IsoNode dir, bool joliet)
        {
            yield return RecordLength(1, joliet || !spec.RockRidge ? 0 : _suDot[dir].Bytes.Length);
            yield return RecordLength(1, joliet || !spec.RockRidge ? 0 : _suDotDot[dir].Bytes.Length);
            foreach (var c in joliet ? dir.JolietOrder : dir.IsoOrder)
            {
                int len = joliet ? RecordLength(c.JolietId.Length, 0) : RecordLength(c.IsoId.Length, spec.RockRidge ? _su[c].Bytes.Length : 0);
                for (int i = ExtentCount(c); i > 0; i--) yield return len;
            }
        }

        private static long PackedSize(IEnumerable<int> lengths)
        {
            long pos = 0;
            foreach (int len in lengths)
            {
                if (pos % IsoBinary.SectorSize + len > IsoBinary.SectorSize) pos = IsoBinary.Sectors(pos) * IsoBinary.SectorSize;
                pos += len;
            }
            return IsoBinary.Sectors(pos) * IsoBinary.SectorSize;
        }

        private static long PathTableSize(List<IsoNode> dirs, Func<IsoNode, byte[]> id)
        {
            long size = 0;
            foreach (var d in dirs)
            {
                int len = d.Parent is null ? 1 : id(d).Length;
                size += 8 + len + (len & 1);
            }
            return size;
        }

        private void Layout()
        {
            long lba = 16;
            lba++; // PVD
            bool boot = _catalog is not null;
            if (boot) _brLba = lba++;
            if (spec.Joliet) _svdLba = lba++;
            _termLba = lba++;
            _isoPathTableSize = PathTableSize(_isoDirs, d => d.IsoId);
            _isoL = lba; lba += IsoBinary.Sectors(_isoPathTableSize);
            _isoM = lba; lba += IsoBinary.Sectors(_isoPathTableSize);
            if (spec.Joliet)
            {
                _jolietPathTableSize = PathTableSize(_jolietDirs, d => d.JolietId);
                _jolL = lba; lba += IsoBinary.Sectors(_jolietPathTableSize);
                _jolM = lba; lba += IsoBinary.Sectors(_jolietPathTableSize);
            }
            foreach (var d in _isoDirs)
            {
                d.IsoSize = PackedSize(RecordLengths(d, false));
                d.IsoLba = lba;
                lba += d.IsoSize / IsoBinary.SectorSize;
            }
            foreach (var d in _jolietDirs)
            {
                d.JolietSize = PackedSize(RecordLengths(d, true));
                d.JolietLba = lba;
                lba += d.JolietSize / IsoBinary.SectorSize;
            }
            if (_continuations.Count > 0)
            {
                int offset = 0;
                foreach (var area in _continuations)
                {
                    if (offset + area.Bytes.Length > IsoBinary.SectorSize) { lba++; offset = 0; }
                    area.Lba = lba;
                    area.Offset = offset;
                    offset += area.Bytes.Length;
                }
                lba++;
                foreach (var area in _su.Values.Concat(_suDot.Values).Concat(_suDotDot.Values).Concat(_continuations))
                    area.PatchContinuation();
            }
            // Data: the catalog and boot images first (BIOS code only reaches what it can load), then every file
            // once (hard links share it) in directory-tree order.
            var seen = new HashSet<IsoFileData>(ReferenceEqualityComparer.Instance);
            void Place(IsoFileData? data)
            {
                if (data is null || !seen.Add(data)) return;
                _dataOrder.Add(data);
            }
            Place(_catalog);
            Place(_bios);
            Place(_efi);
            int files = 0;
            void Walk(IsoNode dir)
            {
                foreach (var c in dir.IsoOrder)
                {
                    if (c.IsDirectory) Walk(c);
                    else if (c.Kind == IsoNodeKind.File) { files++; Place(c.Data); }
                }
            }
            Walk(_root);
            FileCount = files;
            foreach (var data in _dataOrder)
            {
                if (data.Size == 0) continue;
                data.Lba = lba;
                lba += IsoBinary.Sectors(data.Size);
            }
            // Empty files point at the sector after the last data, as mkisofs does; nothing is read from there.
            foreach (var data in _dataOrder.Where(d => d.Size == 0)) data.Lba = lba;
            long total = lba + Padding;
            bool hybrid = spec.Boot?.Hybrid == true && boot;
            if (hybrid)
            {
                long perCylinder = HybridBoot.CylinderBytes / IsoBinary.SectorSize;
                total = (total + perCylinder - 1) / perCylinder * perCylinder;
            }
            if (total > uint.MaxValue)
                throw new PungiException(ErrorCodes.IsoImageTooLarge, $"the image would have {total} sectors, more than ISO 9660 can count");
            TotalSectors = total;
            if (hybrid)
            {
                var seed = MD5.HashData(Encoding.UTF8.GetBytes($"{spec.VolumeId}\n{_time:O}\n{total}"));
                _systemArea = HybridBoot.SystemArea(new HybridBoot.Layout(total * IsoBinary.SectorSize, _bios?.Lba ?? 0, _efi?.Lba ?? 0, _efi?.Size ?? 0,
                    HybridBoot.LoadMbrCode(spec.Boot!.MbrCodePath), seed), out _gptBackup);
            }
            else if (spec.Boot?.ChrpPartition == true)
                _systemArea = HybridBoot.ChrpSystemArea(total * IsoBinary.SectorSize);
        }

        // ---- writing ----

        public string? WriteTo(string path)
        {
            using var output = new IsoOutput(path, spec.ImplantMd5 ? new IsoMd5.FragmentHasher((TotalSectors - IsoMd5.SkipSectors) * IsoBinary.SectorSize) : null, ct);
            output.Write(_systemArea);
            output.Write(VolumeDescriptor(joliet: false));
            if (_catalog is not null) output.Write(ElTorito.BootRecord(_catalog.Lba));
            if (spec.Joliet) output.Write(VolumeDescriptor(joliet: true));
            var term = new byte[IsoBinary.SectorSize];
            term[0] = 255;
            "CD001"u8.CopyTo(term.AsSpan(1));
            term[6] = 1;
            output.Write(term);
            WritePathTable(output, _isoDirs, d => d.IsoId, d => d.IsoLba, _isoPathTableSize, bigEndian: false);
            WritePathTable(output, _isoDirs, d => d.IsoId, d => d.IsoLba, _isoPathTableSize, bigEndian: true);
            if (spec.Joliet)
            {
                WritePathTable(output, _jolietDirs, d => d.JolietId, d => d.JolietLba, _jolietPathTableSize, bigEndian: false);
                WritePathTable(output, _jolietDirs, d => d.JolietId, d => d.JolietLba, _jolietPathTableSize, bigEndian: true);
            }
            foreach (var d in _isoDirs) WriteDirectory(output, d, joliet: false);
            foreach (var d in _jolietDirs) WriteDirectory(output, d, joliet: true);
            if (_continuations.Count > 0)
            {
                foreach (var area in _continuations)
                {
                    output.PadTo(area.Lba * IsoBinary.SectorSize + area.Offset);
                    output.Write(area.Bytes);
                }
                output.PadToSector();
            }
            foreach (var data in _dataOrder)
            {
                if (data.Size == 0) continue;
                ct.ThrowIfCancellationRequested();
                output.PadTo(data.Lba * IsoBinary.SectorSize);
                if (data == _catalog) output.Write(CatalogBytes());
                else WriteFile(output, data, bootInfoTable: data == _bios && spec.Boot!.BootInfoTable);
                output.PadToSector();
            }
            long end = TotalSectors * IsoBinary.SectorSize;
            output.PadTo(end - _gptBackup.Length);
            output.Write(_gptBackup);
            return output.Finish(spec.SupportedIso);
        }

        private byte[] CatalogBytes()
        {
            var entries = new List<ElTorito.Entry>();
            if (_bios is not null)
                entries.Add(new ElTorito.Entry(ElTorito.PlatformX86, _bios.Lba, spec.Boot!.BiosLoadSize > 0 ? spec.Boot.BiosLoadSize : (int)Math.Min(0xFFFF, (_bios.Size + 511) / 512)));
            if (_efi is not null) entries.Add(new ElTorito.Entry(ElTorito.PlatformEfi, _efi.Lba, (int)Math.Min(0xFFFF, (_efi.Size + 511) / 512)));
            return ElTorito.Catalog(entries);
        }

        private void WriteFile(IsoOutput output, IsoFileData data, bool bootInfoTable)
        {
            uint checksum = bootInfoTable ? ElTorito.BootFileChecksum(data.SourcePath, data.Size) : 0;
            using var fs = new FileStream(data.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buf = output.CopyBuffer;
            long left = data.Size;
            bool first = true;
            while (left > 0)
            {
                ct.ThrowIfCancellationRequested();
                int want = (int)Math.Min(buf.Length, left);
                int n = fs.ReadAtLeast(buf.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (n < want)
                    throw new PungiException(ErrorCodes.IsoSourceChanged, $"'{data.SourcePath}' shrank while the ISO was written (expected {data.Size} bytes)", data.SourcePath);
                if (first && bootInfoTable && n >= 64) ElTorito.PatchBootInfoTable(buf, data.Lba, data.Size, checksum);
                first = false;
                output.Write(buf.AsSpan(0, n));
                left -= n;
            }
        }

        private byte[] VolumeDescriptor(bool joliet)
        {
            var b = new byte[IsoBinary.SectorSize];
            b[0] = joliet ? (byte)2 : (byte)1;
            "CD001"u8.CopyTo(b.AsSpan(1));
            b[6] = 1;
            void Text(int offset, int length, string? value)
            {
                if (joliet) IsoBinary.PaddedUcs2(b, offset, length, value);
                else IsoBinary.Padded(b, offset, length, value);
            }
            Text(8, 32, spec.Boot?.SystemId ?? spec.SystemId);
            Text(40, 32, spec.VolumeId);
            IsoBinary.Both32(b, 80, (uint)TotalSectors);
            if (joliet) "%/E"u8.CopyTo(b.AsSpan(88)); // UCS-2 level 3
            IsoBinary.Both16(b, 120, 1);
            IsoBinary.Both16(b, 124, 1);
            IsoBinary.Both16(b, 128, IsoBinary.SectorSize);
            IsoBinary.Both32(b, 132, (uint)(joliet ? _jolietPathTableSize : _isoPathTableSize));
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(140), (uint)(joliet ? _jolL : _isoL));
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(148), (uint)(joliet ? _jolM : _isoM));
            WriteRecord(b.AsSpan(156), [0], joliet ? _root.JolietLba : _root.IsoLba, joliet ? _root.JolietSize : _root.IsoSize, _root.MtimeUtc, 2, []);
            Text(190, 128, spec.VolumeSetId);
            Text(318, 128, spec.PublisherId);
            Text(446, 128, spec.PreparerId);
            Text(574, 128, spec.ApplicationId);
            Text(702, 37, null);
            Text(739, 37, null);
            Text(776, 37, null);
            IsoBinary.VolumeDate(b, 813, _time);
            IsoBinary.VolumeDate(b, 830, _time);
            IsoBinary.VolumeDate(b, 847, null);
            IsoBinary.VolumeDate(b, 864, _time);
            b[881] = 1;
            if (!joliet) b.AsSpan(IsoMd5.AppDataOffset, IsoMd5.AppDataSize).Fill((byte)' '); // implantisomd5 needs it blank
            return b;
        }

        private static void WritePathTable(IsoOutput output, List<IsoNode> dirs, Func<IsoNode, byte[]> id, Func<IsoNode, long> lba, long size, bool bigEndian)
        {
            var numbers = new Dictionary<IsoNode, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < dirs.Count; i++) numbers[dirs[i]] = i + 1;
            var b = new byte[IsoBinary.Sectors(size) * IsoBinary.SectorSize];
            int at = 0;
            foreach (var d in dirs)
            {
                byte[] name = d.Parent is null ? [0] : id(d);
                b[at] = (byte)name.Length;
                b[at + 1] = 0;
                int parent = d.Parent is null ? 1 : numbers[d.Parent];
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at + 2), (uint)lba(d));
                    BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at + 6), (ushort)parent);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at + 2), (uint)lba(d));
                    BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 6), (ushort)parent);
                }
                name.CopyTo(b, at + 8);
                at += 8 + name.Length + (name.Length & 1);
            }
            output.Write(b);
        }

        private void WriteDirectory(IsoOutput output, IsoNode dir, bool joliet)
        {
            long size = joliet ? dir.JolietSize : dir.IsoSize;
            var b = new byte[size];
            int pos = 0;
            void Add(byte[] id, long lba, long length, DateTime time, byte flags, byte[] su)
            {
                int len = RecordLength(id.Length, su.Length);
                if (pos % IsoBinary.SectorSize + len > IsoBinary.SectorSize) pos = (int)IsoBinary.Sectors(pos) * IsoBinary.SectorSize;
                WriteRecord(b.AsSpan(pos, len), id, lba, length, time, flags, su);
                pos += len;
            }
            bool rr = !joliet && spec.RockRidge;
            var parent = dir.Parent ?? dir;
            Add([0], joliet ? dir.JolietLba : dir.IsoLba, size, dir.MtimeUtc, 2, rr ? _suDot[dir].Bytes : []);
            Add([1], joliet ? parent.JolietLba : parent.IsoLba, joliet ? parent.JolietSize : parent.IsoSize, parent.MtimeUtc, 2, rr ? _suDotDot[dir].Bytes : []);
            foreach (var c in joliet ? dir.JolietOrder : dir.IsoOrder)
            {
                byte[] id = joliet ? c.JolietId : c.IsoId;
                byte[] su = rr ? _su[c].Bytes : [];
                if (c.IsDirectory)
                {
                    Add(id, joliet ? c.JolietLba : c.IsoLba, joliet ? c.JolietSize : c.IsoSize, c.MtimeUtc, 2, su);
                    continue;
                }
                if (c.Kind == IsoNodeKind.Symlink)
                {
                    Add(id, 0, 0, c.MtimeUtc, 0, su);
                    continue;
                }
                long fileSize = c.Data!.Size;
                int parts = ExtentCount(c);
                for (int i = 0; i < parts; i++)
                {
                    long length = parts == 1 ? fileSize : Math.Min(MaxExtent, fileSize - i * MaxExtent);
                    long lba = c.Data.Lba + i * (MaxExtent / IsoBinary.SectorSize);
                    Add(id, lba, length, c.MtimeUtc, i < parts - 1 ? (byte)0x80 : (byte)0, su);
                }
            }
            output.PadTo((joliet ? dir.JolietLba : dir.IsoLba) * IsoBinary.SectorSize);
            output.Write(b);
        }

        private static void WriteRecord(Span<byte> r, byte[] id, long lba, long length, DateTime time, byte flags, byte[] su)
        {
            int len = RecordLength(id.Length, su.Length);
            r[..len].Clear();
            r[0] = (byte)len;
            r[1] = 0;
            IsoBinary.Both32(r, 2, (uint)lba);
            IsoBinary.Both32(r, 10, (uint)length);
            IsoBinary.DirDate(r, 18, time);
            r[25] = flags;
            IsoBinary.Both16(r, 28, 1);
            r[32] = (byte)id.Length;
            id.CopyTo(r[33..]);
            su.CopyTo(r[BaseLength(id.Length)..]);
        }
    }
}

/// <summary>The image file being written: position, zero padding, and the isomd5sum hash taken as bytes pass.</summary>
internal sealed class IsoOutput : IDisposable
{
    private static readonly byte[] Zeros = new byte[1 << 16];
    private readonly FileStream _fs;
    private readonly IsoMd5.FragmentHasher? _hasher;
    private readonly CancellationToken _ct;

    public IsoOutput(string path, IsoMd5.FragmentHasher? hasher, CancellationToken ct)
    {
        _fs = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        _hasher = hasher;
        _ct = ct;
    }

    public long Position { get; private set; }

    public byte[] CopyBuffer { get; } = new byte[1 << 20];

    public void Write(ReadOnlySpan<byte> data)
    {
        // Long runs of zeros (padding, sparse source files) are skipped over, leaving holes in the output; reading
        // a hole gives zeros, so the image is the same and a sparse multi-GiB file costs no disk space.
        if (data.Length >= Zeros.Length && !data.ContainsAnyExcept((byte)0))
            _fs.Seek(data.Length, SeekOrigin.Current);
        else
            _fs.Write(data);
        _hasher?.Append(data);
        Position += data.Length;
    }

    public void PadTo(long offset)
    {
        if (offset < Position) throw new InvalidOperationException($"ISO layout error: at {Position}, asked to pad to {offset}");
        while (Position < offset)
        {
            _ct.ThrowIfCancellationRequested();
            Write(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, offset - Position)));
        }
    }

    public void PadToSector() => PadTo(IsoBinary.Sectors(Position) * IsoBinary.SectorSize);

    /// <summary>Flushes; with a hasher, writes the implantisomd5 application data into the PVD and returns the md5.</summary>
    public string? Finish(bool supported)
    {
        _fs.SetLength(Position); // a trailing hole still counts
        if (_hasher is null)
        {
            _fs.Flush();
            return null;
        }
        if (!_hasher.Complete) throw new InvalidOperationException("ISO layout error: the md5 did not cover the image");
        var appData = _hasher.AppData(supported);
        _fs.Position = 16 * IsoBinary.SectorSize + IsoMd5.AppDataOffset;
        _fs.Write(appData);
        _fs.Flush();
        return _hasher.Md5Hex;
    }

    public void Dispose() => _fs.Dispose();
}
