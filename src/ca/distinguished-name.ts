import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { attributeShortNames } from './oids.js';
import type { NameAttribute } from './profile.js';

/** One attribute per RDN, in the given order (multi-valued RDNs are not used). */
export function encodeName(attributes: readonly NameAttribute[]): Name {
  return new Name(
    attributes.map(
      (attribute) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({ type: attribute.oid, value: attributeValue(attribute) }),
        ]),
    ),
  );
}

export function decodeName(name: Name): NameAttribute[] {
  return name.flatMap((rdn) =>
    rdn.map((typeAndValue): NameAttribute => {
      const { value } = typeAndValue;
      if (value.printableString !== undefined) {
        return { oid: typeAndValue.type, value: value.printableString, encoding: 'printableString' };
      }
      if (value.utf8String !== undefined) {
        return { oid: typeAndValue.type, value: value.utf8String, encoding: 'utf8String' };
      }
      if (value.ia5String !== undefined) {
        return { oid: typeAndValue.type, value: value.ia5String, encoding: 'ia5String' };
      }
      return { oid: typeAndValue.type, value: value.toString(), encoding: 'other' };
    }),
  );
}

/** "C=JP, O=…, CN=…" in encoding order, for messages and tests. */
export function formatName(attributes: readonly NameAttribute[]): string {
  return attributes.map((attribute) => `${attributeShortNames[attribute.oid] ?? attribute.oid}=${attribute.value}`).join(', ');
}

function attributeValue(attribute: NameAttribute): AttributeValue {
  switch (attribute.encoding) {
    case 'printableString':
      return new AttributeValue({ printableString: attribute.value });
    case 'ia5String':
      return new AttributeValue({ ia5String: attribute.value });
    case 'utf8String':
    case 'other':
      return new AttributeValue({ utf8String: attribute.value });
  }
}
