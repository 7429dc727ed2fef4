using Acme.Server.Protocol.Problems;
using Acme.Validation.Identifiers;

namespace Acme.Server.Workflows;

/// <summary>Account contacts (RFC 8555 §7.3): <c>mailto:</c> URLs holding one valid address each.</summary>
public static class ContactValidator
{
    private const int MaxContacts = 10;

    public static IReadOnlyList<string> Validate(IReadOnlyList<string> contacts)
    {
        if (contacts.Count > MaxContacts)
        {
            throw new AcmeProblemException(AcmeProblems.InvalidContact($"At most {MaxContacts} contacts are accepted"));
        }

        var result = new List<string>();
        foreach (var contact in contacts)
        {
            // RFC 8555 §7.3: a server that does not support a contact scheme answers unsupportedContact.
            if (!contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                throw new AcmeProblemException(AcmeProblems.UnsupportedContact($"'{contact}' is not a mailto: URL; only mailto: contacts are supported"));
            }

            var address = contact["mailto:".Length..];
            if (address.Contains('?') || address.Contains(','))
            {
                throw new AcmeProblemException(AcmeProblems.InvalidContact($"'{contact}' must hold exactly one address and no header fields"));
            }

            var normalized = MailboxNormalizer.Normalize(Uri.UnescapeDataString(address));
            if (!normalized.IsSuccess)
            {
                throw new AcmeProblemException(AcmeProblems.InvalidContact($"'{contact}' is not a valid mailto: URL: {normalized.Failure.Detail}"));
            }

            result.Add("mailto:" + normalized.Value.Address);
        }

        return result;
    }
}
