import { createCipheriv, createHmac, randomBytes } from 'node:crypto'

/** A PSKC file (RFC 6030) as vendors ship it; with `psk`, secrets encrypted (AES-128-CBC) and MACed (HMAC-SHA1). */
export function pskc(entries: { serial: string; kind: 'hotp' | 'totp'; secret: Buffer; digits?: number; counter?: number; period?: number; suite?: string }[], psk?: Buffer): string {
  const macKey = randomBytes(20)
  const encrypt = (plain: Buffer) => {
    const iv = randomBytes(16)
    const c = createCipheriv('aes-128-cbc', psk!, iv)
    return Buffer.concat([iv, c.update(plain), c.final()])
  }
  const secretXml = (secret: Buffer) => {
    if (!psk) return `<pskc:PlainValue>${secret.toString('base64')}</pskc:PlainValue>`
    const value = encrypt(secret)
    return `<pskc:EncryptedValue><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
      <xenc:CipherData><xenc:CipherValue>${value.toString('base64')}</xenc:CipherValue></xenc:CipherData></pskc:EncryptedValue>
      <pskc:ValueMAC>${createHmac('sha1', macKey).update(value).digest('base64')}</pskc:ValueMAC>`
  }
  const header = psk
    ? `<pskc:EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></pskc:EncryptionKey>
       <pskc:MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"><pskc:MACKey>
         <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
         <xenc:CipherData><xenc:CipherValue>${encrypt(macKey).toString('base64')}</xenc:CipherValue></xenc:CipherData>
       </pskc:MACKey></pskc:MACMethod>`
    : ''
  const packages = entries.map(
    (e) => `<pskc:KeyPackage>
      <pskc:DeviceInfo><pskc:Manufacturer>Manufacturer</pskc:Manufacturer><pskc:SerialNo>${e.serial}</pskc:SerialNo></pskc:DeviceInfo>
      <pskc:Key Id="${e.serial}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${e.kind}">
        <pskc:AlgorithmParameters>${e.suite ? `<pskc:Suite>${e.suite}</pskc:Suite>` : ''}<pskc:ResponseFormat Length="${e.digits ?? 6}" Encoding="DECIMAL"/></pskc:AlgorithmParameters>
        <pskc:Data>
          <pskc:Secret>${secretXml(e.secret)}</pskc:Secret>
          ${e.kind === 'hotp' ? `<pskc:Counter><pskc:PlainValue>${e.counter ?? 0}</pskc:PlainValue></pskc:Counter>` : `<pskc:TimeInterval><pskc:PlainValue>${e.period ?? 30}</pskc:PlainValue></pskc:TimeInterval>`}
        </pskc:Data>
      </pskc:Key>
    </pskc:KeyPackage>`
  )
  return `<?xml version="1.0" encoding="UTF-8"?>
<pskc:KeyContainer Version="1.0" xmlns:pskc="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
${header}
${packages.join('\n')}
</pskc:KeyContainer>`
}
