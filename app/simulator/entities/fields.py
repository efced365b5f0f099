"""Element names each entity may carry, as declared by Intuit's XSD (Finance.xsd).

Generated once from ../shared/qbo-xsd/ with xmlschema (child elements of each complex type,
inherited ones included), so the sandbox rejects unknown properties (QBO fault 2010)
without needing the XSD files at run time. XML attributes that JSON carries as keys
(domain, sparse, status) are added by the code that uses these sets.
"""

FIELDS: dict[str, frozenset[str]] = {
    'Account': frozenset({
        'AccountAlias', 'AccountEx', 'AccountPurposes', 'AccountSubType', 'AccountType',
        'AcctNum', 'AcctNumExtn', 'Active', 'AttachableRef', 'BankNum',
        'Classification', 'CurrencyRef', 'CurrentBalance',
        'CurrentBalanceWithSubAccounts', 'CustomField', 'Description', 'FIName',
        'FullyQualifiedName', 'Id', 'JournalCodeRef', 'MetaData', 'Name',
        'OnlineBankingEnabled', 'OpeningBalance', 'OpeningBalanceDate', 'ParentRef',
        'SubAccount', 'SyncToken', 'TaxAccount', 'TaxCodeRef', 'TxnLocationType'
    }),
    'Class': frozenset({
        'Active', 'AttachableRef', 'ClassEx', 'CustomField', 'FullyQualifiedName', 'Id',
        'MetaData', 'Name', 'ParentRef', 'SubClass', 'SyncToken'
    }),
    'Customer': frozenset({
        'ARAccountRef', 'AcctNum', 'Active', 'AltContactName', 'AlternatePhone',
        'AttachableRef', 'Balance', 'BalanceWithJobs', 'BillAddr', 'BillWithParent',
        'BusinessNumber', 'CCDetail', 'ClientCompanyId', 'ClientEntityId',
        'CompanyName', 'ContactName', 'CreditLimit', 'CurrencyRef', 'CustomField',
        'CustomerEx', 'CustomerTypeRef', 'DefaultTaxCodeRef', 'DisplayName',
        'FamilyName', 'Fax', 'FullyQualifiedName', 'GSTIN', 'GSTRegistrationType',
        'GivenName', 'Id', 'IntuitId', 'IsCISContractor', 'IsProject', 'Job', 'JobInfo',
        'Level', 'MetaData', 'MiddleName', 'Mobile', 'Notes', 'OpenBalanceDate',
        'Organization', 'OtherAddr', 'OtherContactInfo', 'OverDueBalance', 'ParentRef',
        'PaymentMethodRef', 'PreferredDeliveryMethod', 'PriceLevelRef',
        'PrimaryEmailAddr', 'PrimaryPhone', 'PrimaryTaxIdentifier', 'PrintOnCheckName',
        'ResaleNum', 'RootCustomerRef', 'SalesRepRef', 'SalesTermRef',
        'SecondaryTaxIdentifier', 'ShipAddr', 'Source', 'Suffix', 'SyncToken',
        'TDSEnabled', 'TaxExemptionReasonId', 'TaxGroupCodeRef', 'TaxRateRef',
        'TaxRegime', 'Taxable', 'Title', 'TotalExpense', 'TotalRevenue', 'UserId',
        'V4IDPseudonym', 'WebAddr'
    }),
    'Item': frozenset({
        'AbatementRate', 'Active', 'AssetAccountRef', 'AttachableRef', 'AvgCost',
        'BuildPoint', 'COGSAccountRef', 'ClassRef', 'CustomExtensions', 'CustomField',
        'DeferredRevenue', 'DepositToAccountRef', 'Description', 'ExpenseAccountRef',
        'FullyQualifiedName', 'Id', 'IncomeAccountRef', 'InvStartDate',
        'ItemAssemblyDetail', 'ItemCategoryType', 'ItemEx', 'ItemGroupDetail', 'Level',
        'ManPartNum', 'MetaData', 'Name', 'ParentRef', 'PaymentMethodRef',
        'PercentBased', 'PrefVendorRef', 'PrintGroupedItems', 'PurchaseCost',
        'PurchaseDesc', 'PurchaseTaxCodeRef', 'PurchaseTaxIncluded', 'QtyOnHand',
        'QtyOnPurchaseOrder', 'QtyOnSalesOrder', 'RatePercent', 'ReorderPoint',
        'ReverseChargeRate', 'SalesTaxCodeRef', 'SalesTaxIncluded', 'ServiceType',
        'Sku', 'Source', 'SpecialItem', 'SpecialItemType', 'SubItem', 'SyncToken',
        'TaxClassificationRef', 'Taxable', 'TrackQtyOnHand', 'Type', 'UOMSetRef',
        'UQCDisplayText', 'UQCId', 'UnitPrice'
    }),
    'Invoice': frozenset({
        'ARAccountRef', 'AllowIPNPayment', 'AllowOnlineACHPayment',
        'AllowOnlineCreditCardPayment', 'AllowOnlinePayPalPayment',
        'AllowOnlinePayment', 'ApplyTaxAfterDiscount', 'AttachableRef', 'AutoDocNumber',
        'AutoPayEligible', 'Balance', 'BillAddr', 'BillEmail', 'BillEmailBcc',
        'BillEmailCc', 'CfdiUse', 'CheckPayment', 'ClassRef', 'ConvenienceFeeDetail',
        'CreditCardPayment', 'CurrencyRef', 'CustomField', 'CustomerMemo',
        'CustomerRef', 'DeliveryInfo', 'DepartmentRef', 'Deposit',
        'DepositToAccountRef', 'DiscountAmt', 'DiscountRate', 'DocNumber', 'DueDate',
        'ECloudStatusTimeStamp', 'EInvoiceStatus', 'EmailStatus',
        'EnabledSurchargeInfo', 'ExchangeRate', 'Exportation', 'FOB', 'FinanceCharge',
        'FinancingProductType', 'FreeFormAddress', 'GlobalInfo', 'GlobalTaxCalculation',
        'GovtTxnRefIdentifier', 'GratuityEnabled', 'HomeBalance', 'HomeTotalAmt',
        'HomeTotalCostAmount', 'Id', 'InvoiceEx', 'InvoiceLink',
        'InvoiceLinkExpiryDate', 'InvoiceLinkSecurityCode', 'LessCIS', 'Line',
        'LinkedTxn', 'MetaData', 'PONumber', 'PaymentDetailsMessage',
        'PaymentMethodRef', 'PaymentRefNum', 'PaymentType', 'PrintStatus',
        'PrivateNote', 'ProjectRef', 'RecurDataRef', 'RecurringInfo', 'RemitToRef',
        'SalesRepRef', 'SalesTermRef', 'SchedulePayEligible', 'ScheduledPaymentId',
        'ShipAddr', 'ShipDate', 'ShipFromAddr', 'ShipMethodRef',
        'ShippingTaxIncludedInTotalTax', 'SubscriptionPaymentsSetting', 'SyncToken',
        'Tag', 'TaxExemptionRef', 'TaxFormNum', 'TaxFormType', 'TemplateRef',
        'TotalAmt', 'TotalCostAmount', 'TrackingNum', 'TransactionLocationType',
        'TxnApprovalInfo', 'TxnDate', 'TxnSource', 'TxnStatus', 'TxnTaxDetail',
        'callToAction', 'invoiceStatus', 'invoiceStatusLog'
    }),
    'Payment': frozenset({
        'ARAccountRef', 'AttachableRef', 'CheckPayment', 'CreditCardPayment',
        'CurrencyRef', 'CustomField', 'CustomerRef', 'DepartmentRef',
        'DepositToAccountRef', 'DocNumber', 'ExchangeRate', 'HomeTotalCostAmount', 'Id',
        'Line', 'LinkedTxn', 'MetaData', 'PaymentEx', 'PaymentExtendedType',
        'PaymentMethodRef', 'PaymentRefNum', 'PaymentType', 'PrivateNote',
        'ProcessPayment', 'ProjectRef', 'RecurDataRef', 'RecurringInfo', 'RemitToRef',
        'SyncToken', 'Tag', 'TaxFormNum', 'TaxFormType', 'TotalAmt', 'TotalCostAmount',
        'TransactionLocationType', 'TxnApprovalInfo', 'TxnDate', 'TxnSource',
        'TxnStatus', 'TxnTaxDetail', 'UnappliedAmt'
    }),
    'CreditMemo': frozenset({
        'ARAccountRef', 'ApplyTaxAfterDiscount', 'AttachableRef', 'AutoDocNumber',
        'Balance', 'BillAddr', 'BillEmail', 'BillEmailBcc', 'BillEmailCc',
        'CheckPayment', 'ClassRef', 'CreditCardPayment', 'CreditMemoEx', 'CurrencyRef',
        'CustomField', 'CustomerMemo', 'CustomerRef', 'DeliveryInfo', 'DepartmentRef',
        'DepositToAccountRef', 'DiscountAmt', 'DiscountRate', 'DocNumber', 'DueDate',
        'EmailStatus', 'ExchangeRate', 'FOB', 'FinanceCharge', 'FreeFormAddress',
        'GlobalTaxCalculation', 'GovtTxnRefIdentifier', 'HomeBalance', 'HomeTotalAmt',
        'HomeTotalCostAmount', 'Id', 'InvoiceRef', 'Line', 'LinkedTxn', 'MetaData',
        'PONumber', 'PaymentMethodRef', 'PaymentRefNum', 'PaymentType', 'PrintStatus',
        'PrivateNote', 'ProjectRef', 'RecurDataRef', 'RecurringInfo', 'RemainingCredit',
        'RemitToRef', 'SalesRepRef', 'SalesTermRef', 'ShipAddr', 'ShipDate',
        'ShipFromAddr', 'ShipMethodRef', 'ShippingTaxIncludedInTotalTax', 'SyncToken',
        'Tag', 'TaxExemptionRef', 'TaxFormNum', 'TaxFormType', 'TemplateRef',
        'TotalAmt', 'TotalCostAmount', 'TrackingNum', 'TransactionLocationType',
        'TxnApprovalInfo', 'TxnDate', 'TxnSource', 'TxnStatus', 'TxnTaxDetail'
    }),
    'RefundReceipt': frozenset({
        'ARAccountRef', 'ApplyTaxAfterDiscount', 'AttachableRef', 'AutoDocNumber',
        'Balance', 'BillAddr', 'BillEmail', 'BillEmailBcc', 'BillEmailCc',
        'CheckPayment', 'ClassRef', 'CreditCardPayment', 'CurrencyRef', 'CustomField',
        'CustomerMemo', 'CustomerRef', 'DeliveryInfo', 'DepartmentRef',
        'DepositToAccountRef', 'DiscountAmt', 'DiscountRate', 'DocNumber', 'DueDate',
        'EmailStatus', 'ExchangeRate', 'FOB', 'FinanceCharge', 'FreeFormAddress',
        'GlobalTaxCalculation', 'GovtTxnRefIdentifier', 'HomeBalance', 'HomeTotalAmt',
        'HomeTotalCostAmount', 'Id', 'Line', 'LinkedTxn', 'MetaData', 'PONumber',
        'PaymentMethodRef', 'PaymentRefNum', 'PaymentType', 'PrintStatus',
        'PrivateNote', 'ProjectRef', 'RecurDataRef', 'RecurringInfo', 'RefundReceiptEx',
        'RemainingCredit', 'RemitToRef', 'SalesRepRef', 'SalesTermRef', 'ShipAddr',
        'ShipDate', 'ShipFromAddr', 'ShipMethodRef', 'ShippingTaxIncludedInTotalTax',
        'SyncToken', 'Tag', 'TaxExemptionRef', 'TaxFormNum', 'TaxFormType',
        'TemplateRef', 'TotalAmt', 'TotalCostAmount', 'TrackingNum',
        'TransactionLocationType', 'TxnApprovalInfo', 'TxnDate', 'TxnSource',
        'TxnStatus', 'TxnTaxDetail'
    }),
    'JournalEntry': frozenset({
        'Adjustment', 'AttachableRef', 'CurrencyRef', 'CustomField', 'DepartmentRef',
        'DocNumber', 'EnteredInHomeCurrency', 'ExchangeRate', 'GlobalTaxCalculation',
        'HomeCurrencyAdjustment', 'HomeTotalAmt', 'HomeTotalCostAmount', 'Id',
        'JournalEntryEx', 'Line', 'LinkedTxn', 'MetaData', 'PrivateNote', 'ProjectRef',
        'RecurDataRef', 'RecurringInfo', 'SyncToken', 'Tag', 'TaxFormNum',
        'TaxFormType', 'TotalAmt', 'TotalCostAmount', 'TransactionLocationType',
        'TxnApprovalInfo', 'TxnDate', 'TxnSource', 'TxnStatus', 'TxnTaxDetail'
    }),
    'Deposit': frozenset({
        'AttachableRef', 'CashBack', 'CurrencyRef', 'CustomField', 'DepartmentRef',
        'DepositEx', 'DepositToAccountRef', 'DocNumber', 'ExchangeRate',
        'GlobalTaxCalculation', 'HomeTotalAmt', 'HomeTotalCostAmount', 'Id', 'Line',
        'LinkedTxn', 'MetaData', 'PrivateNote', 'ProjectRef', 'RecurDataRef',
        'RecurringInfo', 'SyncToken', 'Tag', 'TaxFormNum', 'TaxFormType', 'TotalAmt',
        'TotalCostAmount', 'TransactionLocationType', 'TxnApprovalInfo', 'TxnDate',
        'TxnSource', 'TxnStatus', 'TxnTaxDetail'
    }),
    'Preferences': frozenset({
        'AccountingInfoPrefs', 'AdvancedInventoryPrefs', 'AttachableRef',
        'CurrencyPrefs', 'CustomField', 'EmailMessagesPrefs', 'FinanceChargesPrefs',
        'Id', 'MetaData', 'OtherPrefs', 'PrintDocumentPrefs', 'ProductAndServicesPrefs',
        'ReportPrefs', 'SalesFormsPrefs', 'SyncToken', 'TaxPrefs', 'TimeTrackingPrefs',
        'VendorAndPurchasesPrefs'
    }),
    'Line': frozenset({
        'AccountBasedExpenseLineDetail', 'Amount', 'CostAmount', 'CustomExtensions',
        'CustomField', 'DepositLineDetail', 'Description', 'DescriptionLineDetail',
        'DetailType', 'DiscountLineDetail', 'GroupLineDetail', 'HomeCostAmount', 'Id',
        'ItemAdjustmentLineDetail', 'ItemBasedExpenseLineDetail',
        'ItemReceiptLineDetail', 'JournalEntryLineDetail', 'LineEx', 'LineNum',
        'LinkedTxn', 'PaymentLineDetail', 'ProjectRef', 'PurchaseOrderItemLineDetail',
        'Received', 'ReimburseLineDetail', 'SalesItemLineDetail',
        'SalesOrderItemLineDetail', 'SubTotalLineDetail', 'TDSLineDetail',
        'TaxLineDetail'
    }),
    'LinkedTxn': frozenset({
        'TxnId', 'TxnLineId', 'TxnType'
    }),
    'SalesItemLineDetail': frozenset({
        'ClassRef', 'DeferredRevenue', 'DiscountAmt', 'DiscountRate',
        'InventorySiteRef', 'ItemAccountRef', 'ItemRef', 'MarkupInfo', 'PriceLevelRef',
        'Qty', 'RatePercent', 'SalesItemLineDetailEx', 'ServiceDate',
        'TaxClassificationRef', 'TaxCodeRef', 'TaxInclusiveAmt', 'UOMRef',
        'UnitCostPrice', 'UnitPrice'
    }),
    'JournalEntryLineDetail': frozenset({
        'AccountRef', 'BillableStatus', 'ClassRef', 'DepartmentRef', 'Entity',
        'JournalCodeRef', 'JournalEntryLineDetailEx', 'PostingType', 'TaxAmount',
        'TaxApplicableOn', 'TaxCodeRef', 'TaxInclusiveAmt', 'TaxRateRef'
    }),
    'DepositLineDetail': frozenset({
        'AccountRef', 'CheckNum', 'ClassRef', 'DepositLineDetailEx', 'Entity',
        'PaymentMethodRef', 'TaxApplicableOn', 'TaxCodeRef', 'TxnType'
    }),
}
