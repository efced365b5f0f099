"""A new QBO company's starting point: account types, the default chart, demo items.

The account type -> sub-type table follows Intuit's account classification reference
(types are the 16 of ``AccountTypeEnum`` in Finance.xsd; sub-types are the common values
of ``AccountSubTypeEnum`` for each). A pairing outside it is QBO fault 6010.
"""

from __future__ import annotations

from typing import Any

# AccountType -> (Classification, default sub-type, allowed sub-types)
ACCOUNT_TYPES: dict[str, tuple[str, str, frozenset[str]]] = {
    "Bank": ("Asset", "Checking", frozenset({
        "CashOnHand", "Checking", "MoneyMarket", "RentsHeldInTrust", "Savings",
        "TrustAccounts", "CashAndCashEquivalents", "OtherEarMarkedBankAccounts"})),
    "Accounts Receivable": ("Asset", "AccountsReceivable", frozenset({"AccountsReceivable"})),
    "Other Current Asset": ("Asset", "OtherCurrentAssets", frozenset({
        "AllowanceForBadDebts", "DevelopmentCosts", "EmployeeCashAdvances",
        "OtherCurrentAssets", "Inventory", "Investment_MortgageRealEstateLoans",
        "Investment_Other", "Investment_TaxExemptSecurities",
        "Investment_USGovernmentObligations", "LoansToOfficers", "LoansToOthers",
        "LoansToStockholders", "PrepaidExpenses", "Retainage", "UndepositedFunds"})),
    "Fixed Asset": ("Asset", "OtherFixedAssets", frozenset({
        "AccumulatedDepletion", "AccumulatedDepreciation", "DepletableAssets",
        "FurnitureAndFixtures", "Land", "LeaseholdImprovements", "OtherFixedAssets",
        "AccumulatedAmortization", "Buildings", "IntangibleAssets", "MachineryAndEquipment",
        "Vehicles"})),
    "Other Asset": ("Asset", "OtherLongTermAssets", frozenset({
        "LeaseBuyout", "OtherLongTermAssets", "SecurityDeposits",
        "AccumulatedAmortizationOfOtherAssets", "Goodwill", "Licenses",
        "OrganizationalCosts"})),
    "Accounts Payable": ("Liability", "AccountsPayable", frozenset({"AccountsPayable"})),
    "Credit Card": ("Liability", "CreditCard", frozenset({"CreditCard"})),
    "Other Current Liability": ("Liability", "OtherCurrentLiabilities", frozenset({
        "DirectDepositPayable", "LineOfCredit", "LoanPayable", "OtherCurrentLiabilities",
        "PayrollClearing", "PayrollTaxPayable", "PrepaidExpensesPayable",
        "RentsInTrustLiability", "TrustAccountsLiabilities", "FederalIncomeTaxPayable",
        "InsurancePayable", "SalesTaxPayable", "StateLocalIncomeTaxPayable",
        "DeferredRevenue"})),
    "Long Term Liability": ("Liability", "OtherLongTermLiabilities", frozenset({
        "NotesPayable", "OtherLongTermLiabilities", "ShareholderNotesPayable"})),
    "Equity": ("Equity", "OwnersEquity", frozenset({
        "OpeningBalanceEquity", "PartnersEquity", "RetainedEarnings",
        "AccumulatedAdjustment", "OwnersEquity", "PaidInCapitalOrSurplus",
        "PartnerContributions", "PartnerDistributions", "PreferredStock", "CommonStock",
        "TreasuryStock"})),
    "Income": ("Revenue", "ServiceFeeIncome", frozenset({
        "NonProfitIncome", "OtherPrimaryIncome", "SalesOfProductIncome", "ServiceFeeIncome",
        "DiscountsRefundsGiven", "UnappliedCashPaymentIncome"})),
    "Cost of Goods Sold": ("Expense", "SuppliesMaterialsCogs", frozenset({
        "EquipmentRentalCos", "OtherCostsOfServiceCos", "ShippingFreightDeliveryCos",
        "SuppliesMaterialsCogs", "CostOfLaborCos"})),
    "Expense": ("Expense", "OtherMiscellaneousServiceCost", frozenset({
        "AdvertisingPromotional", "BadDebts", "BankCharges", "CharitableContributions",
        "CommissionsAndFees", "Entertainment", "EntertainmentMeals", "EquipmentRental",
        "FinanceCosts", "Insurance", "InterestPaid", "LegalProfessionalFees",
        "OfficeExpenses", "OfficeGeneralAdministrativeExpenses", "OtherBusinessExpenses",
        "OtherMiscellaneousServiceCost", "PromotionalMeals", "RentOrLeaseOfBuildings",
        "RepairMaintenance", "ShippingFreightDelivery", "SuppliesMaterials", "Travel",
        "TravelMeals", "Utilities", "Auto", "CostOfLabor", "DuesSubscriptions",
        "PayrollExpenses", "TaxesPaid"})),
    "Other Income": ("Revenue", "OtherMiscellaneousIncome", frozenset({
        "DividendIncome", "InterestEarned", "OtherInvestmentIncome",
        "OtherMiscellaneousIncome", "TaxExemptInterest"})),
    "Other Expense": ("Expense", "OtherMiscellaneousExpense", frozenset({
        "Depreciation", "ExchangeGainOrLoss", "OtherMiscellaneousExpense",
        "PenaltiesSettlements", "Amortization"})),
    "Non-Posting": ("Asset", "Estimate", frozenset({"PurchaseOrder", "Estimate"})),
}

# Name, AccountType, AccountSubType: what a new US QBO company starts with (trimmed).
DEFAULT_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("Checking", "Bank", "Checking"),
    ("Savings", "Bank", "Savings"),
    ("Prepaid Expenses", "Other Current Asset", "PrepaidExpenses"),
    ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
    ("Unearned Revenue", "Other Current Liability", "DeferredRevenue"),
    ("Opening Balance Equity", "Equity", "OpeningBalanceEquity"),
    ("Retained Earnings", "Equity", "RetainedEarnings"),
    ("Owner's Investment", "Equity", "OwnersEquity"),
    ("Sales of Product Income", "Income", "SalesOfProductIncome"),
    ("Services", "Income", "ServiceFeeIncome"),
    ("Discounts given", "Income", "DiscountsRefundsGiven"),
    ("Uncategorized Income", "Income", "ServiceFeeIncome"),
    ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("Advertising & Marketing", "Expense", "AdvertisingPromotional"),
    ("Bank Charges & Fees", "Expense", "BankCharges"),
    ("Merchant account fees", "Expense", "BankCharges"),
    ("Office Supplies & Software", "Expense", "OfficeGeneralAdministrativeExpenses"),
    ("Rent & Lease", "Expense", "RentOrLeaseOfBuildings"),
    ("Uncategorized Expense", "Expense", "OtherMiscellaneousServiceCost"),
    ("Interest Earned", "Other Income", "InterestEarned"),
)

# Items a new company has: "Services" and "Hours", both Service items on "Services".
DEFAULT_ITEMS: tuple[str, ...] = ("Services", "Hours")

SIMULATOR_NAME = "Demo Company (Ledgerbridge simulator)"


def company_info(realm_id: str, start_date: str) -> dict[str, Any]:
    return {
        "CompanyName": SIMULATOR_NAME,
        "LegalName": SIMULATOR_NAME,
        "CompanyAddr": {"Line1": "1 Simulator Way", "City": "Mountain View",
                        "CountrySubDivisionCode": "CA", "PostalCode": "94043", "Country": "US"},
        "CompanyStartDate": start_date,
        "FiscalYearStartMonth": "January",
        "Country": "US",
        "SupportedLanguages": "en",
        "NameValue": [{"Name": "Simulator", "Value": "true"},
                      {"Name": "RealmId", "Value": realm_id}],
    }


def preferences() -> dict[str, Any]:
    return {
        "AccountingInfoPrefs": {"TrackDepartments": False, "ClassTrackingPerTxn": False,
                                "ClassTrackingPerTxnLine": True, "CustomerTerminology":
                                "Customers"},
        "ProductAndServicesPrefs": {"ForSales": True, "ForPurchase": True},
        "SalesFormsPrefs": {"CustomTxnNumbers": False, "AllowDeposit": False},
        "CurrencyPrefs": {"MultiCurrencyEnabled": False, "HomeCurrency": {"value": "USD"}},
    }
