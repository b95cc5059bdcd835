using System.IO.MemoryMappedFiles;

namespace Pungi.Build.Compose;

/// <summary>
/// A whole file mapped read-only, read as one span. The work files a rerun reads back (a 20,000-package store is
/// 21 MB) cost little to map from the page cache, while reading them into a fresh managed array cost ~4 ms per MB on
/// this kind of virtual machine: every new page of the array faults and is zeroed first. Only for files replaced
/// atomically (<see cref="AtomicFile"/>): a file truncated in place under a mapping would fault on read.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedViewAccessor? _view; // null for an empty file, which cannot be mapped
    private byte* _pointer;

    private MappedFile(MemoryMappedViewAccessor? view, int length)
    {
        _view = view;
        Length = length;
        if (view is null) return;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref _pointer);
        _pointer += view.PointerOffset;
    }

    /// <summary>Maps <paramref name="path"/>; an empty file maps as an empty span.</summary>
    /// <exception cref="IOException">The file cannot be opened or mapped, or is 2 GiB or larger.</exception>
    public static MappedFile Open(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
        long length = file.Length;
        if (length > int.MaxValue) throw new IOException($"{path} is too large to map as one span");
        if (length == 0) return new MappedFile(null, 0);
        using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        return new MappedFile(map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read), (int)length);
    }

    public int Length { get; }

    /// <summary>The file's bytes; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer == null && Length > 0, this);
            return Length == 0 ? [] : new ReadOnlySpan<byte>(_pointer, Length);
        }
    }

    public void Dispose()
    {
        if (_pointer != null)
        {
            _pointer = null;
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        _view?.Dispose();
        GC.SuppressFinalize(this);
    }

    // A mapping nobody disposed (a reused MSBuild node keeps running) is still unmapped once unreachable.
    ~MappedFile()
    {
        if (_pointer != null) _view!.SafeMemoryMappedViewHandle.ReleasePointer();
    }
}
