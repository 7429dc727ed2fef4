using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Acme.Email.Imap;

/// <summary>Folder and error helpers of <see cref="ImapMailboxReader"/>.</summary>
internal static class ImapFolders
{
    /// <summary>Opens the named folder, creating it under the first personal namespace if missing.</summary>
    public static async Task<IMailFolder> GetOrCreateAsync(ImapClient client, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(name, ct).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, true, ct).ConfigureAwait(false)
                ?? throw new FolderNotFoundException(name);
        }
    }

    /// <summary>True for errors caused by the server, the network or the settings (as opposed to bugs).</summary>
    public static bool IsServerError(Exception ex) =>
        ex is ImapCommandException or ImapProtocolException or CommandException or ProtocolException
            or IOException or SocketException or TimeoutException or AuthenticationException or SslHandshakeException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException or FolderNotFoundException
            or FolderNotOpenException or UnauthorizedAccessException or OperationCanceledException;
}
