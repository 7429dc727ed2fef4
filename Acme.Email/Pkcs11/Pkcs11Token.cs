using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Acme.Email.Pkcs11;

/// <summary>
/// A logged-in session on one token of a PKCS#11 library. Configuration problems become
/// <see cref="InvalidOperationException"/>s whose message starts with the setting name.
/// </summary>
public sealed class Pkcs11Token : IDisposable
{
    private readonly string _libraryPath;
    private bool _disposed;

    private Pkcs11Token(string libraryPath, ISession session, Pkcs11InteropFactories factories, string label)
    {
        _libraryPath = libraryPath;
        Session = session;
        Factories = factories;
        Label = label;
    }

    /// <summary>The open, logged-in session.</summary>
    public ISession Session { get; }

    /// <summary>The Pkcs11Interop factories for attributes and mechanisms.</summary>
    public Pkcs11InteropFactories Factories { get; }

    /// <summary>The token label.</summary>
    public string Label { get; }

    /// <summary>Loads the library, finds the token by label and logs in as the user with the PIN from the PIN file.</summary>
    /// <param name="options">Library, token label and PIN file.</param>
    /// <param name="section">The configuration section the options came from, e.g. <c>Issuance:Pkcs11</c>, for messages.</param>
    /// <param name="readWrite">Opens a read-write session (to create keys).</param>
    /// <exception cref="InvalidOperationException">A setting is missing or wrong; the message names it.</exception>
    public static Pkcs11Token Open(Pkcs11KeyOptions options, string section, bool readWrite = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(section);
        var libraryPath = Required(options.Library, section + ":Library");
        var tokenLabel = Required(options.TokenLabel, section + ":TokenLabel");
        var pin = ReadPin(Required(options.PinFile, section + ":PinFile"), section + ":PinFile");
        if (!File.Exists(libraryPath))
        {
            throw new InvalidOperationException($"{section}:Library: the PKCS#11 module '{libraryPath}' does not exist.");
        }

        IPkcs11Library library;
        try
        {
            library = Pkcs11Modules.Acquire(libraryPath);
        }
        catch (Exception ex) when (ex is Pkcs11Exception or UnmanagedException or DllNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException($"{section}:Library: '{libraryPath}' is not a loadable PKCS#11 module: {ex.Message}", ex);
        }

        ISession? session = null;
        try
        {
            var slots = library.GetSlotList(SlotsType.WithTokenPresent);
            var labels = slots.Select(s => s.GetTokenInfo().Label.Trim()).ToList();
            var index = labels.IndexOf(tokenLabel);
            if (index < 0)
            {
                throw new InvalidOperationException(
                    $"{section}:TokenLabel: no token labelled '{tokenLabel}' in '{libraryPath}' (tokens present: {(labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => $"'{l}'")))}).");
            }

            if (labels.Count(l => l == tokenLabel) > 1)
            {
                throw new InvalidOperationException($"{section}:TokenLabel: more than one token is labelled '{tokenLabel}'.");
            }

            session = slots[index].OpenSession(readWrite ? SessionType.ReadWrite : SessionType.ReadOnly);
            Login(session, pin, section);
            return new Pkcs11Token(libraryPath, session, Pkcs11Modules.Factories, tokenLabel);
        }
        catch
        {
            session?.Dispose();
            Pkcs11Modules.Release(libraryPath);
            throw;
        }
    }

    /// <summary>
    /// Closes the session and releases the module. No C_Logout: login is shared by the application's sessions on
    /// the token and ends with the last of them (PKCS#11 v2.40 §5.6), so another open key keeps working.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Session.Dispose();
        Pkcs11Modules.Release(_libraryPath);
    }

    private static void Login(ISession session, string pin, string section)
    {
        try
        {
            session.Login(CKU.CKU_USER, pin);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // PKCS#11 v2.40 §5.6: login state is per application and token; another key of this process logged in.
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_INVALID)
        {
            throw new InvalidOperationException($"{section}:PinFile: the token rejected the PIN ({ex.RV}).", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_PIN_LOCKED)
        {
            throw new InvalidOperationException($"{section}:PinFile: the user PIN of the token is locked ({ex.RV}).", ex);
        }
    }

    private static string Required(string? value, string setting) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"{setting} is not set.") : value;

    private static string ReadPin(string path, string setting)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting}: cannot read the PIN file '{path}': {ex.Message}", ex);
        }

        var pin = text.Split('\n')[0].TrimEnd('\r');
        return pin.Length > 0 ? pin : throw new InvalidOperationException($"{setting}: the PIN file '{path}' is empty.");
    }
}
