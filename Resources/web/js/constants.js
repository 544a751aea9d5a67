// Values the API defines that several screens list.

/** Business types, in the order the forms offer them (labels: t(`type.${x}`)). */
export const BUSINESS_TYPES = ['importer', 'wholesaler', 'supplier', 'pharmacy'];
