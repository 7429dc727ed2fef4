using Acme.Bench.Issuance;

namespace Acme.Bench.Run;

/// <summary>One server under load: its name in the report, directory, HTTP client, process and issuance flow.</summary>
public sealed record ServerTarget(string Name, string DirectoryUrl, HttpClient Http, int Pid, IIssuanceFlow Flow);
