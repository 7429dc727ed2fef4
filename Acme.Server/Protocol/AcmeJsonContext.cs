using System.Text.Json.Serialization;
using Acme.Server.Protocol.Problems;

namespace Acme.Server.Protocol;

/// <summary>The single source-generated JSON context for every wire record and stored JSON column.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DirectoryResource))]
[JsonSerializable(typeof(AccountResource))]
[JsonSerializable(typeof(OrderResource))]
[JsonSerializable(typeof(AuthorizationResource))]
[JsonSerializable(typeof(ChallengeResource))]
[JsonSerializable(typeof(OrdersListResource))]
[JsonSerializable(typeof(RenewalInfoResource))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
