import TradepostCore

/// What the demo tenant holds: an importer and a wholesaler selling to three pharmacies, with a
/// catalog in Ukrainian, Russian and English as a small distributor's really is.
extension DemoSample {
    struct Company {
        var key: String
        var input: BusinessInput
        var hue: Double
    }

    struct Person {
        var email: String
        var name: String
        var kind: UserKind
        var business: String
        var role: BusinessRole
    }

    struct Item {
        var seller: String
        var sku: String
        var name: String
        var brand: String
        var category: String
        var price: String
        var tiers: [(Int64, String)] = []
        var unit = "уп."
        var moq: Int64 = 1
        var multiple: Int64 = 1
        var stock: Int64 = 100
        var attributes: [String: AttributeValue] = [:]
        var shape: DemoPicture.Shape = .box
        var description: String? = nil
    }

    static let companies: [Company] = [
        Company(key: "importer", input: BusinessInput(
            name: "MedImport Ukraine", type: .importer, city: "Київ", address: "вул. Велика Васильківська, 72", phone: "+380 44 200 10 10",
            email: "orders@medimport.demo", website: "https://medimport.demo",
            description: "Імпорт лікарських засобів і вітамінів з ЄС. Поставки по всій Україні за 48 годин.",
            latitude: 50.4265, longitude: 30.5171), hue: 205),
        Company(key: "wholesaler", input: BusinessInput(
            name: "Фармація Оптом", type: .wholesaler, city: "Львів", address: "вул. Городоцька, 174", phone: "+380 32 240 55 55",
            email: "sales@pharmopt.demo", description: "Оптовий склад: ліки, гігієна, медичні вироби. Відвантаження щодня до 16:00.",
            latitude: 49.8326, longitude: 23.9711), hue: 150),
        Company(key: "zdorovya", input: BusinessInput(
            name: "Аптека «Здоров’я»", type: .pharmacy, city: "Київ", address: "просп. Перемоги, 15", phone: "+380 44 235 12 12"), hue: 95),
        Company(key: "podil", input: BusinessInput(
            name: "Аптека на Подолі", type: .pharmacy, city: "Київ", address: "вул. Сагайдачного, 25", phone: "+380 44 425 33 44"), hue: 30),
        Company(key: "medok", input: BusinessInput(
            name: "Аптека «Медок»", type: .pharmacy, city: "Одесса", address: "ул. Дерибасовская, 10", phone: "+380 48 700 11 22",
            description: "Сеть из трёх аптек в центре Одессы."), hue: 330),
    ]

    static let people: [Person] = [
        Person(email: "olena@medimport.demo", name: "Олена Коваль", kind: .member, business: "importer", role: .manager),
        Person(email: "ihor@pharmopt.demo", name: "Ігор Бондаренко", kind: .member, business: "wholesaler", role: .manager),
        Person(email: "andrii@pharmopt.demo", name: "Андрій Мельник", kind: .salesperson, business: "wholesaler", role: .staff),
        Person(email: "maria@zdorovya.demo", name: "Марія Шевченко", kind: .member, business: "zdorovya", role: .manager),
        Person(email: "dmytro@podil.demo", name: "Дмитро Сидоренко", kind: .member, business: "podil", role: .manager),
        Person(email: "irina@medok.demo", name: "Ирина Лебедева", kind: .member, business: "medok", role: .manager),
    ]

    /// Categories, by key: (name, parent key).
    static let categories: [(key: String, name: String, parent: String?)] = [
        ("medicines", "Лікарські засоби", nil), ("pain", "Знеболювальні", "medicines"), ("cold", "Застуда і грип", "medicines"),
        ("vitamins", "Вітаміни і мінерали", nil), ("hygiene", "Гігієна", nil), ("devices", "Медичні вироби", nil),
    ]

    static let items: [Item] = [
        Item(seller: "importer", sku: "MI-PAR-500", name: "Парацетамол 500 мг, 20 таблеток", brand: "Farmak", category: "pain", price: "38.50",
             tiers: [(50, "36.90"), (200, "35.40")], moq: 10, multiple: 10, stock: 4_800,
             attributes: ["rx": .bool(false), "strength_mg": .number("500"), "dosage_form": .text("таблетки"), "pack_count": .number("20")],
             description: "Знеболювальний і жарознижувальний засіб.\nЗберігати при температурі не вище 25 °C."),
        Item(seller: "importer", sku: "MI-IBU-200", name: "Ібупрофен 200 мг, 50 таблеток", brand: "Darnitsa", category: "pain", price: "64.20",
             tiers: [(50, "61.00")], moq: 10, stock: 2_100,
             attributes: ["rx": .bool(false), "strength_mg": .number("200"), "dosage_form": .text("таблетки"), "pack_count": .number("50")]),
        Item(seller: "importer", sku: "MI-NUR-FORTE", name: "Nurofen Forte 400 mg, 12 tablets", brand: "Reckitt", category: "pain", price: "142.00",
             tiers: [(24, "136.50")], stock: 640,
             attributes: ["rx": .bool(false), "strength_mg": .number("400"), "country": .text("United Kingdom")]),
        Item(seller: "importer", sku: "MI-AMOX-500", name: "Амоксицилін 500 мг, 20 капсул", brand: "Sandoz", category: "medicines", price: "118.90",
             moq: 5, stock: 380, attributes: ["rx": .bool(true), "strength_mg": .number("500"), "dosage_form": .text("капсули")]),
        Item(seller: "importer", sku: "MI-VITC-1000", name: "Vitamin C 1000 mg, effervescent, 20 tablets", brand: "Bayer", category: "vitamins", price: "156.00",
             tiers: [(30, "149.00"), (120, "142.50")], stock: 1_250, attributes: ["strength_mg": .number("1000"), "country": .text("Germany")]),
        Item(seller: "importer", sku: "MI-D3-2000", name: "Вітамін D3 2000 МО, 60 капсул", brand: "Solgar", category: "vitamins", price: "412.00",
             stock: 310, attributes: ["dosage_form": .text("капсули"), "pack_count": .number("60")], shape: .jar),
        Item(seller: "importer", sku: "MI-OMEGA3", name: "Омега-3 1000 мг, 90 капсул", brand: "Now Foods", category: "vitamins", price: "689.00",
             tiers: [(12, "659.00")], stock: 140, attributes: ["strength_mg": .number("1000"), "pack_count": .number("90")], shape: .jar),
        Item(seller: "importer", sku: "MI-MAGB6", name: "Магний B6, 50 таблеток", brand: "Sanofi", category: "vitamins", price: "298.40",
             stock: 520, attributes: ["pack_count": .number("50")]),
        Item(seller: "importer", sku: "MI-THERMO-DIG", name: "Digital thermometer, flexible tip", brand: "Microlife", category: "devices", price: "249.00",
             unit: "шт.", stock: 900, shape: .bottle),
        Item(seller: "importer", sku: "MI-TONO-A2", name: "Тонометр автоматичний BP A2", brand: "Microlife", category: "devices", price: "1890.00",
             tiers: [(5, "1820.00")], unit: "шт.", stock: 75, description: "Автоматичний тонометр на плече з манжетою 22–42 см."),
        Item(seller: "importer", sku: "MI-COLDREX", name: "Coldrex MaxGrip, 10 sachets", brand: "Perrigo", category: "cold", price: "214.00",
             stock: 460, attributes: ["rx": .bool(false), "pack_count": .number("10")]),
        Item(seller: "importer", sku: "MI-STREPS", name: "Стрепсилс з медом і лимоном, 24 льодяники", brand: "Reckitt", category: "cold", price: "176.30",
             tiers: [(24, "169.00")], stock: 830, attributes: ["pack_count": .number("24")]),
        Item(seller: "wholesaler", sku: "FO-PAR-500", name: "Парацетамол-Дарниця 500 мг, 10 таблеток", brand: "Darnitsa", category: "pain", price: "19.80",
             tiers: [(100, "18.60"), (500, "17.90")], moq: 20, multiple: 10, stock: 12_000,
             attributes: ["rx": .bool(false), "strength_mg": .number("500"), "pack_count": .number("10")]),
        Item(seller: "wholesaler", sku: "FO-CITR-10", name: "Цитрамон-Дарниця, 10 таблеток", brand: "Darnitsa", category: "pain", price: "14.60",
             tiers: [(100, "13.90")], moq: 20, multiple: 10, stock: 9_400, attributes: ["rx": .bool(false), "pack_count": .number("10")]),
        Item(seller: "wholesaler", sku: "FO-ANALG-500", name: "Анальгин 500 мг, 10 таблеток", brand: "Борщаговский ХФЗ", category: "pain", price: "17.20",
             moq: 20, multiple: 10, stock: 5_300, attributes: ["strength_mg": .number("500")]),
        Item(seller: "wholesaler", sku: "FO-NOSPA-40", name: "No-Spa 40 mg, 24 tablets", brand: "Sanofi", category: "pain", price: "96.00",
             tiers: [(50, "92.40")], stock: 1_700, attributes: ["strength_mg": .number("40"), "pack_count": .number("24")]),
        Item(seller: "wholesaler", sku: "FO-THERAFLU", name: "Терафлю от гриппа и простуды, 10 пакетиков", brand: "GSK", category: "cold", price: "238.00",
             tiers: [(20, "229.00")], stock: 610, attributes: ["pack_count": .number("10")]),
        Item(seller: "wholesaler", sku: "FO-AQUAMARIS", name: "Аква Марис спрей назальний 30 мл", brand: "Jadran", category: "cold", price: "189.50",
             unit: "фл.", stock: 1_020, attributes: ["volume_ml": .number("30")], shape: .bottle),
        Item(seller: "wholesaler", sku: "FO-SINUPRET", name: "Синупрет, 50 драже", brand: "Bionorica", category: "cold", price: "318.00",
             stock: 280, attributes: ["pack_count": .number("50"), "country": .text("Німеччина")]),
        Item(seller: "wholesaler", sku: "FO-ASCORB", name: "Аскорбінова кислота з глюкозою, 10 таблеток", brand: "Київський вітамінний завод",
             category: "vitamins", price: "8.40", tiers: [(200, "7.90")], moq: 50, multiple: 50, stock: 24_000),
        Item(seller: "wholesaler", sku: "FO-UNDEVIT", name: "Ундевит, 50 драже", brand: "Київський вітамінний завод", category: "vitamins",
             price: "42.70", moq: 10, stock: 3_200, shape: .jar),
        Item(seller: "wholesaler", sku: "FO-BAND-ST", name: "Пластир бактерицидний 1,9×7,2 см, 10 шт.", brand: "Leiko", category: "devices",
             price: "22.00", tiers: [(100, "20.50")], moq: 20, stock: 7_500),
        Item(seller: "wholesaler", sku: "FO-BANDAGE", name: "Бинт стерильний 7 м × 14 см", brand: "Ігар", category: "devices", price: "31.90",
             unit: "шт.", moq: 20, multiple: 10, stock: 6_800),
        Item(seller: "wholesaler", sku: "FO-MASK-50", name: "Face masks, 3-layer, box of 50", brand: "Medicom", category: "devices", price: "129.00",
             tiers: [(20, "119.00"), (100, "109.00")], stock: 2_400),
        Item(seller: "wholesaler", sku: "FO-SANITIZER", name: "Антисептик для рук 500 мл", brand: "Manorm", category: "hygiene", price: "112.00",
             unit: "фл.", stock: 1_900, attributes: ["volume_ml": .number("500")], shape: .bottle),
        Item(seller: "wholesaler", sku: "FO-NAPPY-4", name: "Підгузки Pampers Active Baby 4 (9–14 кг), 76 шт.", brand: "Pampers", category: "hygiene",
             price: "899.00", tiers: [(6, "869.00")], stock: 320, attributes: ["pack_count": .number("76")]),
        Item(seller: "wholesaler", sku: "FO-TOOTHPASTE", name: "Зубна паста Lacalut Active 75 мл", brand: "Lacalut", category: "hygiene", price: "134.00",
             stock: 1_150, attributes: ["volume_ml": .number("75")]),
        Item(seller: "wholesaler", sku: "FO-CREAM-BEP", name: "Бепантен крем 30 г", brand: "Bayer", category: "hygiene", price: "276.00",
             stock: 0, attributes: ["weight_g": .number("30")], shape: .jar,
             description: "Немає на складі: наступна поставка наступного тижня."),
    ]

    /// Customer prices: the wholesaler's list for its Kyiv pharmacies, and the importer's for one.
    static let groupName = "Аптеки Києва"
    static let groupMembers = ["zdorovya", "podil"]
    static let wholesalerList: [(sku: String, price: String)] = [
        ("FO-PAR-500", "17.40"), ("FO-CITR-10", "12.90"), ("FO-NOSPA-40", "89.00"), ("FO-THERAFLU", "219.00"), ("FO-MASK-50", "104.00"),
    ]
    static let importerList: [(sku: String, price: String)] = [("MI-PAR-500", "35.90"), ("MI-VITC-1000", "144.00"), ("MI-D3-2000", "389.00")]

    /// Price changes the history charts show: (sku, the price it had before today's).
    static let earlierPrices: [(sku: String, price: String)] = [("MI-PAR-500", "36.90"), ("FO-MASK-50", "149.00"), ("MI-VITC-1000", "164.00")]

    static let synonyms = [["парацетамол", "paracetamol", "ацетамінофен", "acetaminophen"], ["ібупрофен", "ibuprofen", "ибупрофен"], ["вітамін", "vitamin", "витамин"]]
}
