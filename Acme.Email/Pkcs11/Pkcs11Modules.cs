using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Acme.Email.Pkcs11;

/// <summary>
/// The PKCS#11 modules this process has loaded, counted by user. Cryptoki is initialized once per process
/// (PKCS#11 v2.40 §5.4: C_Finalize ends it for every caller), so a CA key and a DKIM key of the same module
/// must share one initialization and only the last user may finalize. This table mirrors that process state;
/// it is the one static table here, and it is empty whenever no token key is open.
/// </summary>
internal static class Pkcs11Modules
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Entry> Loaded = new(StringComparer.Ordinal);

    static Pkcs11Modules()
    {
        // Pkcs11Interop imports dlopen from "libdl"; glibc 2.34+ ships only libdl.so.2 (libdl.so is in libc6-dev).
        // Its maintainer's advice is a resolver for the assembly, which can be set once per process: here.
        NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, ResolveLibdl);
    }

    /// <summary>The factories (stateless) used with every module.</summary>
    public static Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>Loads and initializes the module, or shares the loaded one. Pair with <see cref="Release"/>.</summary>
    public static IPkcs11Library Acquire(string path)
    {
        var key = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Loaded.TryGetValue(key, out var entry))
            {
                entry.Users++;
                return entry.Library;
            }

            var library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, key, AppType.MultiThreaded);
            Loaded[key] = new Entry(library);
            return library;
        }
    }

    /// <summary>Drops one user; the last one finalizes and unloads the module.</summary>
    public static void Release(string path)
    {
        var key = Path.GetFullPath(path);
        lock (Gate)
        {
            if (!Loaded.TryGetValue(key, out var entry))
            {
                return;
            }

            if (--entry.Users == 0)
            {
                Loaded.Remove(key);
                entry.Library.Dispose();
            }
        }
    }

    private static IntPtr ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != "libdl" || OperatingSystem.IsWindows())
        {
            return IntPtr.Zero;
        }

        return NativeLibrary.TryLoad("libdl.so.2", out var handle) || NativeLibrary.TryLoad("libc.so.6", out handle)
            ? handle
            : IntPtr.Zero;
    }

    private sealed class Entry(IPkcs11Library library)
    {
        public IPkcs11Library Library { get; } = library;

        public int Users { get; set; } = 1;
    }
}
