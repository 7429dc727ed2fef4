using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Acme.Tests.Server.EndToEnd;

/// <summary>The status line, headers and body of one raw HTTP/1.1 answer.</summary>
public sealed record RawHttpResponse(string StatusLine, IReadOnlyList<string> Headers, byte[] Body)
{
    public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string? Header(string name) => Headers
        .Where(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(h => h[(name.Length + 1)..].Trim())
        .FirstOrDefault();

    public override string ToString() => $"{StatusLine} [{string.Join("; ", Headers)}] {Encoding.UTF8.GetString(Body)}";
}

/// <summary>
/// Sends request octets exactly as given over TLS (HTTP/1.1, Connection: close) and reads the answer
/// to the end of the connection: for requests HttpClient refuses to send (raw control or non-ASCII
/// octets in the request line or headers).
/// </summary>
public static class RawHttpExchange
{
    public static async Task<RawHttpResponse> SendAsync(Uri server, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = server.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(request);
        await tls.FlushAsync();

        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.CopyToAsync(received, timeout.Token);
        return Parse(received.ToArray());
    }

    private static RawHttpResponse Parse(byte[] octets)
    {
        var end = octets.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.Latin1.GetString(octets, 0, end < 0 ? octets.Length : end).Split("\r\n");
        var body = end < 0 ? [] : octets[(end + 4)..];
        if (head.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        return new RawHttpResponse(head[0], head[1..], body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            body.Write(chunked, at + lineEnd + 2, size);
            at += lineEnd + 2 + size + 2;
        }

        return body.ToArray();
    }
}
