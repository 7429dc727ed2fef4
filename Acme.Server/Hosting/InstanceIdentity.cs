using System.Security.Cryptography;
using Acme.Validation.Codecs;

namespace Acme.Server.Hosting;

/// <summary>This process among the instances sharing a database: host, process id and a random part (a restarted process is a new instance).</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{StrictBase64Url.Encode(RandomNumberGenerator.GetBytes(6))}";
}
